"""The post: barcodes allocated one letter at a time and ten thousand at once (barcodes/s), a hybrid
batch of N letters built (one A4 PDF each, ZIP, signed manifest: letters/s, target >= 100), and
the batch handed over by SFTP to a private sshd (beside OpenSSH's own client), and
tracking reports ingested into the letters' histories (events/s, target >= 2,000 on PostgreSQL) beside
the database's floor (the same rows bulk-inserted with no logic). In-process, on a database of its own
dropped afterwards (a temporary SQLite file, or a new database on the PostgreSQL server of
DATABASE_URL). Run alone: `python -m bench.post`."""

import argparse
import datetime as dt
import os
import subprocess
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from bench import database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("post")
    group.add_argument("--post-letters", type=int, default=10_000, help="letters of the hybrid batch")
    group.add_argument("--post-events", type=int, default=20_000, help="tracking reports ingested")


def _measure(args: argparse.Namespace) -> None:
    from django.db import transaction

    from torelik.courts.actions import import_court_registry
    from torelik.courts.demo import REGISTRY_FILE, read_data_file
    from torelik.courts.models import Court
    from torelik.post import actions
    from torelik.post.models import EventSource, Letter, LetterEvent, LetterKind, LetterStatus

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    court = Court.objects.order_by("code").first()
    assert court is not None  # noqa: S101 - the registry holds courts
    n = args.post_letters

    started = time.perf_counter()
    singles = [actions.allocate_barcodes(court_id=court.pk, count=1)[0] for _ in range(min(n, 2000))]
    one_by_one = len(singles) / (time.perf_counter() - started)
    started = time.perf_counter()
    barcodes = actions.allocate_barcodes(court_id=court.pk, count=n)
    at_once = n / (time.perf_counter() - started)
    print(f"  barcodes one per call: {one_by_one:,.0f}/s; {n:,} in one call: {at_once:,.0f}/s")

    now = dt.datetime.now(tz=dt.UTC)
    text = ["Сіз сотқа шақырыласыз / Вы вызываетесь в суд"] * 12
    enclosure = [{"kind": "subpoena", "title": "Шақыру қағазы", "reference": "B", "text": text}]
    letters = Letter.objects.bulk_create(
        [
            Letter(
                court=court,
                kind=LetterKind.HYBRID,
                status=LetterStatus.PREPARED,
                status_at=now,
                recipient_name=f"Қатысушы {i}",
                postal_index="010000",
                address={"postal_index": "010000", "locality": "Астана", "street": "Абай даңғылы", "house": str(i)},
                address_text="010000, Астана",
                enclosures=enclosure,
                weight_class="w20",
                cost=200,
                rate_date=dt.date(2026, 1, 1),
                barcode=barcode,
            )
            for i, barcode in enumerate(barcodes)
        ],
        batch_size=2000,
    )
    started = time.perf_counter()
    package = actions.build_package(court=court, number="BENCH-1", letters=letters)
    built = time.perf_counter() - started
    print(
        f"  hybrid batch of {n:,} letters (PDFs, ZIP, signed manifest): {built:.1f} s, {n / built:,.0f} letters/s "
        f"(target >= 100), package {len(package.content) / 1e6:.1f} MB"
    )
    _sftp_hand_over(package, n)
    Letter.objects.filter(pk__in=[x.pk for x in letters]).update(status=LetterStatus.ACCEPTED)

    events = args.post_events
    codes = ("ACCEPTED", "PRINTED", "IN_TRANSIT", "ARRIVED", "DELIVERED")
    reports = [
        actions.Report(
            barcode=barcodes[i % n],
            event_id=f"e{i}",
            code=codes[(i // n) % len(codes)],
            at=now + dt.timedelta(hours=i // n),
            place="Астана СЦ",
        )
        for i in range(events)
    ]
    started = time.perf_counter()
    for first in range(0, events, 1000):
        actions.record_reports(reports[first : first + 1000], source=EventSource.WEBHOOK)
    took = time.perf_counter() - started
    print(f"  tracking reports ingested in chunks of 1,000: {events / took:,.0f} events/s (target >= 2,000)")
    ids = {x.barcode: x.pk for x in letters}
    started = time.perf_counter()
    with transaction.atomic():
        LetterEvent.objects.bulk_create(
            [
                LetterEvent(
                    letter_id=ids[r.barcode],
                    external_id=f"floor-{r.event_id}",
                    status=LetterStatus.IN_TRANSIT,
                    code=r.code,
                    at=r.at,
                    source=EventSource.WEBHOOK,
                    recorded_at=now,
                )
                for r in reports
            ],
            batch_size=2000,
        )
    floor = time.perf_counter() - started
    print(f"  floor (the same rows bulk-inserted, no logic): {events / floor:,.0f} events/s")


def _sftp_hand_over(package: Any, n: int) -> None:
    """The batch handed over by SFTP (paramiko) to a private sshd on loopback, beside the floor: the same
    file put by OpenSSH's own `sftp` client to the same server."""
    from pathlib import Path

    from torelik.post import sftp, sshd_harness

    if not sshd_harness.available():
        print("  SFTP hand-over: not measured (apt-get install openssh-server)")
        return
    with (
        tempfile.TemporaryDirectory(prefix="torelik-bench-sftp-") as directory,
        sshd_harness.running_sshd(Path(directory)) as server,
    ):
        target = sftp.SftpTarget(
            host="127.0.0.1",
            port=server.port,
            user=server.user,
            key_file=str(server.client_key),
            host_key=server.host_key,
            directory=".",
            timeout=30.0,
        )
        content = package.content
        started = time.perf_counter()
        sftp.deliver_batch(target, package.manifest, package.signature, content)
        took = time.perf_counter() - started
        size = len(content) / 1e6
        print(
            f"  SFTP hand-over (paramiko) of the {n:,}-letter batch: {took:.1f} s, {size / took:,.1f} MB/s, "
            f"{n / took:,.0f} letters/s"
        )
        local = Path(directory) / "package.zip"
        local.write_bytes(content)
        known = Path(directory) / "known_hosts"
        known.write_text(f"[127.0.0.1]:{server.port} {server.host_key}\n")
        command = ["sftp", "-q", "-b", "-", "-i", str(server.client_key), "-P", str(server.port)]
        command += ["-o", f"UserKnownHostsFile={known}", "-o", "StrictHostKeyChecking=yes", f"{server.user}@127.0.0.1"]
        started = time.perf_counter()
        subprocess.run(command, input=f"put {local} inbox/floor.zip\n".encode(), check=True, capture_output=True)  # noqa: S603
        floor = time.perf_counter() - started
        print(f"  floor (OpenSSH's sftp client, the same file and server): {floor:.1f} s, {size / floor:,.1f} MB/s")


def run(args: argparse.Namespace) -> None:
    argv = ["--post-letters", str(args.post_letters)]
    argv += ["--post-events", str(args.post_events)]
    database.measured_apart(
        "post",
        f"Post: barcodes, a hybrid batch, tracking ingestion ({database.describe(dict(os.environ))})",
        argv,
        lambda: _measure(args),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.post", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
