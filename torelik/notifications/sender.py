"""The sender: takes due messages from the outbox, hands them to their channel's gateway (SMS in
parallel), records the answers, retries with backoff, fails and falls back. Run by the background
thread of `worker` after commits, and by `torelik send-messages [--loop]`."""

import contextlib
import datetime as dt
import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from django.conf import settings

from torelik.core import clock
from torelik.notifications import actions, gateways, queries
from torelik.notifications.actions import Outcome
from torelik.notifications.database_locks import retry_when_locked
from torelik.notifications.models import Channel, Message

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass
class SendReport:
    handed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    interrupted: int = 0


def _hand_over(message: Message, backend: gateways.SmsBackend) -> Outcome:
    try:
        if message.channel == Channel.SMS:
            provider_id = backend.send(
                gateways.OutgoingSms(message_id=str(message.public_id), to=message.recipient_phone, text=message.text)
            )
        else:
            provider_id = gateways.send_email(
                gateways.OutgoingEmail(
                    message_id=str(message.public_id),
                    to=message.recipient_email,
                    subject=message.subject,
                    text=message.text,
                )
            )
    except gateways.GatewayError as error:
        logger.warning("message %s not handed over (attempt %s): %s", message.public_id, message.attempts, error.reason)
        return Outcome(message_id=message.pk, ok=False, error=error.reason, retryable=error.retryable)
    except Exception as error:  # a bug in a backend must not leave the batch unrecorded
        logger.exception("message %s: the gateway failed unexpectedly", message.public_id)
        return Outcome(message_id=message.pk, ok=False, error=repr(error)[:2000], retryable=True)
    return Outcome(message_id=message.pk, ok=True, provider_id=provider_id)


class _Batch:
    """A claimed batch whose hand-overs are running (SMS in the pool, e-mail already done)."""

    def __init__(
        self, messages: Sequence[Message], backend: gateways.SmsBackend, pool: ThreadPoolExecutor | None
    ) -> None:
        self.messages = messages
        sms = [m for m in messages if m.channel == Channel.SMS]
        # E-mail goes through one SMTP connection at a time, in this thread.
        self.done = [_hand_over(m, backend) for m in messages if m.channel != Channel.SMS]
        if pool is not None:
            self.running: list[Future[Outcome]] = [pool.submit(_hand_over, m, backend) for m in sms]
        else:
            self.done.extend(_hand_over(m, backend) for m in sms)
            self.running = []

    def outcomes(self) -> list[Outcome]:
        return self.done + [future.result() for future in self.running]


def send_due_messages(
    *, limit: int | None = None, backend: gateways.SmsBackend | None = None, concurrency: int | None = None
) -> SendReport:
    """Send every message due now (at most `limit`); what fails is retried later or fails for good.

    Batches are pipelined: while the SMS of one batch are with the gateway (in a thread pool), the
    answers of the previous batch are recorded and the next batch is claimed."""
    report = SendReport()
    lease = dt.timedelta(seconds=settings.TORELIK_MESSAGE_SEND_LEASE)
    report.expired = retry_when_locked(actions.expire_overdue)
    report.interrupted = retry_when_locked(lambda: actions.fail_interrupted(older_than=lease))
    backend = backend or gateways.sms_backend()
    workers = concurrency or settings.TORELIK_SEND_CONCURRENCY
    parallel = bool(getattr(backend, "concurrent", False)) and workers > 1
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="torelik-sms") if parallel else None
    claimed_total = 0
    previous: _Batch | None = None
    previous_recorded = True
    try:
        while True:
            current: _Batch | None = None
            if limit is None or claimed_total < limit:
                size = BATCH if limit is None else min(BATCH, limit - claimed_total)
                claimed = retry_when_locked(partial(actions.claim_due, limit=size))
                if claimed:
                    claimed_total += len(claimed)
                    current = _Batch(claimed, backend, pool)
            if previous is not None:
                _record(previous, report)
                previous_recorded = True
            if current is None:
                break
            previous = current
            previous_recorded = False
    except BaseException:
        # Whatever went wrong, the answers already in hand are recorded (else they wait out the lease).
        if previous is not None and not previous_recorded:
            with contextlib.suppress(Exception):
                _record(previous, report)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    return report


def _record(batch: _Batch, report: SendReport) -> None:
    outcomes = batch.outcomes()
    failed = retry_when_locked(partial(actions.record_outcomes, outcomes))
    report.handed += len(batch.messages)
    report.sent += sum(1 for o in outcomes if o.ok)
    report.failed += len(failed)
    report.retried += sum(1 for o in outcomes if not o.ok) - len(failed)


def run_once() -> float | None:
    """One pass of the background sender: seconds until the next retry falls due (None: nothing queued)."""
    report = send_due_messages()
    if report.handed:
        logger.info("sender: %s", report)
    return queries.seconds_until_next_due(clock.now())
