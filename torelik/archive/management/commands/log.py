"""`torelik log`: the transparency log's background work and its administration.

    torelik log run                  sequence every half second, a checkpoint when due (a minute, or a
                                     second after new entries), the hourly timestamp; until stopped
    torelik log sequence             append what is queued, once
    torelik log checkpoint           sign a checkpoint now (on demand)
    torelik log timestamp            timestamp the latest checkpoint if the last one is an hour old
    torelik log fixity [--all]       the daily fixity audit (a rolling 1/180 and a sample), or everything
    torelik log generate-key --origin NAME    a new signing key (put it in TORELIK_LOG_SIGNING_KEY)
    torelik log add-witness NAME KEY [--description TEXT]

Each step is an idempotent action: run `log run` as a service (or each step from a scheduler).
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.archive import fixity, log
from torelik.archive.errors import ArchiveError
from torelik.archive.notes import Signer
from torelik.archive.timestamps import TimestampError

logger = logging.getLogger(__name__)
SEQUENCE_EVERY = 0.5  # seconds
TIMESTAMP_RETRY = 60.0  # seconds


class Command(BaseCommand):
    help = "The transparency log: run the sequencer and checkpoints, sign, timestamp, audit fixity, manage keys."

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        run = steps.add_parser("run", help="sequence, checkpoint and timestamp until stopped")
        run.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
        steps.add_parser("sequence", help="append what is queued")
        steps.add_parser("checkpoint", help="sign a checkpoint now")
        steps.add_parser("timestamp", help="timestamp the latest checkpoint when due")
        audit = steps.add_parser("fixity", help="re-hash stored objects")
        audit.add_argument("--all", action="store_true", help="every stored object, not the day's share")
        key = steps.add_parser("generate-key", help="print a new signing key")
        key.add_argument("--origin", required=True, help="the log's name, e.g. torelik.sud.kz/log")
        witness = steps.add_parser("add-witness", help="register a witness's cosignature/v1 key")
        witness.add_argument("name")
        witness.add_argument("key")
        witness.add_argument("--description", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["step"].replace("-", "_"))(options)
        except (ArchiveError, ValueError) as error:
            raise CommandError(str(error)) from error

    def _run(self, options: dict[str, Any]) -> None:
        stop = time.monotonic() + options["seconds"] if options["seconds"] else None
        stamp_after = 0.0  # after a failure the authority is asked again a minute later, not every round
        while stop is None or time.monotonic() < stop:
            try:
                while log.sequence_pending():
                    pass
                log.checkpoint_if_due()
                if time.monotonic() >= stamp_after:
                    log.timestamp_checkpoint_if_due()
            except TimestampError as error:
                logger.warning("checkpoint not timestamped yet (asked again in a minute): %s", error)
                stamp_after = time.monotonic() + TIMESTAMP_RETRY
            except Exception:
                logger.exception("the log's work failed this round; it is tried again")
            time.sleep(SEQUENCE_EVERY)

    def _sequence(self, options: dict[str, Any]) -> None:
        count = 0
        while appended := log.sequence_pending():
            count += appended
        self.stdout.write(f"appended {count}, the log holds {log.log_size()} entries")

    def _checkpoint(self, options: dict[str, Any]) -> None:
        checkpoint = log.sequence_and_checkpoint()
        self.stdout.write(checkpoint.note)

    def _timestamp(self, options: dict[str, Any]) -> None:
        try:
            stamped = log.timestamp_checkpoint_if_due()
        except TimestampError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"timestamped checkpoint {stamped.checkpoint.size} at {stamped.stamped_at}" if stamped else "not due"
        )

    def _fixity(self, options: dict[str, Any]) -> None:
        report = fixity.audit_fixity(everything=options["all"])
        self.stdout.write(report.line())

    def _generate_key(self, options: dict[str, Any]) -> None:
        signer = Signer.generate(options["origin"])
        self.stdout.write(f"TORELIK_LOG_SIGNING_KEY={signer.private_text()}")
        self.stdout.write(f"verifier key (publish it): {signer.verifier_text()}")

    def _add_witness(self, options: dict[str, Any]) -> None:
        witness = log.add_witness(name=options["name"], verifier_key=options["key"], description=options["description"])
        self.stdout.write(f"witness {witness.name} registered")
