"""The transparency log (issue 21), in a throw-away database (PostgreSQL when DATABASE_URL names one):

(a) entries appended per second with batching: writers queue them in transactions of 100 (as
    registrations do, a few entries each), the sequencer appends batches of up to 5,000. Target
    >= 1,000 entries/s on PostgreSQL. The floor: the same rows inserted with no tree at all.
(b) proof sizes against ceil(log2 n), and an inclusion proof read from the database (p50/p95).
(c) an inclusion proof verified (RFC 9162): the server's code and the standalone tools/tlog.py.
    Target < 1 ms.
(d) from a write to a checkpoint that covers it, with `torelik log run` running as its own process:
    p50/p95/max over writes at random moments. Target <= 2 s.
(e) a case of 1,000 documents exported as a BagIt bag (documents, manifests, log entries, proofs).
    Target < 10 s.

    python -m bench.log [--log-entries 20000]
"""

import argparse
import datetime as dt
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import database
from bench.latency import percentile
from bench.server import PROJECT_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-entries", type=int, default=20000, help="entries appended in (a)")


def run(args: argparse.Namespace) -> None:
    print("== transparency log (archive)")
    print(f"machine load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    with database.throwaway_database("log") as url, tempfile.TemporaryDirectory(prefix="torelik-bench-log-") as var:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "TORELIK_VAR_DIR": var,
            "TORELIK_DISTRIBUTION_WAIT": "0",
            "TORELIK_SEND_MESSAGES": "off",
        }
        print(f"database: {database.describe(env)}")
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.log", "--measure", "--log-entries", str(args.log_entries)],
            env=env,
            cwd=PROJECT_DIR,
            check=True,
        )


def _measure(entries: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from torelik.archive import merkle
    from torelik.archive.log import NewEntry, append_entries, log_size, sequence_pending, tree
    from torelik.archive.models import Checkpoint, LogEntryKind, PendingEntry

    call_command("migrate", "--no-input", verbosity=0)

    # (a) appending
    def queue(count: int, tag: str) -> float:
        started = time.perf_counter()
        for start in range(0, count, 100):
            with transaction.atomic():
                append_entries(
                    [
                        NewEntry(kind=LogEntryKind.CONFIGURATION, fields={"bench": tag, "n": n}, subject=str(n))
                        for n in range(start, min(start + 100, count))
                    ]
                )
        return time.perf_counter() - started

    queued_s = queue(entries, "a")
    started = time.perf_counter()
    appended = 0
    while batch := sequence_pending():
        appended += batch
    sequenced_s = time.perf_counter() - started
    print(
        f"(a) {appended} entries: sequencer {appended / sequenced_s:,.0f} entries/s (batches of up to 5,000), "
        f"writers queued them at {entries / queued_s:,.0f}/s in transactions of 100; "
        f"end to end {appended / (queued_s + sequenced_s):,.0f} entries/s (target >= 1,000/s)"
    )
    floor_rows = [
        PendingEntry(kind="configuration", body="{}", leaf_hash=f"{n:064x}", written_at=_now()) for n in range(entries)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        PendingEntry.objects.bulk_create(floor_rows, batch_size=1000)
        PendingEntry.objects.all().delete()
    floor_s = time.perf_counter() - started
    print(f"    floor: the same number of rows inserted and deleted with no tree: {entries / floor_s:,.0f} rows/s")

    # (b) proofs
    size = log_size()
    the_tree = tree()
    indices = [random.randrange(size) for _ in range(300)]  # noqa: S311 - which entries to prove
    longest = max(len(merkle.ranges_of_inclusion(i, size)) for i in indices)
    timings = []
    for index in indices:
        started = time.perf_counter()
        the_tree.inclusion(index, size)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"(b) n = {size}: inclusion proofs of at most {longest} hashes (ceil(log2 n) = {math.ceil(math.log2(size))}); "
        f"read from {connection.vendor}: p50 {percentile(timings, 50):.2f} ms, p95 {percentile(timings, 95):.2f} ms "
        "(one query for its nodes)"
    )
    consistency = the_tree.consistency(size // 3, size)
    print(f"    consistency proof {size // 3} -> {size}: {len(consistency)} hashes")

    # (c) verifying
    root = the_tree.root(size)
    sys.path.insert(0, str(PROJECT_DIR / "tools"))
    import tlog  # type: ignore[import-not-found]  # noqa: PLC0415 - the standalone module beside the tools

    proofs = [(i, the_tree.inclusion(i, size)) for i in indices[:100]]
    leaves = dict(read_leaves(indices[:100]))
    for name, verify in (
        ("server (archive.merkle)", merkle.root_from_inclusion),
        ("tools/tlog.py", tlog.root_from_inclusion),
    ):
        timings = []
        for index, proof in proofs:
            started = time.perf_counter()
            assert verify(index, size, leaves[index], proof) == root  # noqa: S101 - a wrong proof is no figure
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"(c) inclusion proof verified by {name}: p50 {percentile(timings, 50):.3f} ms, "
            f"max {timings[-1]:.3f} ms (target < 1 ms)"
        )

    # (d) write -> covering checkpoint, `torelik log run` as its own process
    runner = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "torelik", "log", "run", "--seconds", "40"], cwd=PROJECT_DIR, env=os.environ.copy()
    )
    try:
        before = Checkpoint.objects.count()
        deadline = time.monotonic() + 120
        while Checkpoint.objects.count() == before and time.monotonic() < deadline:
            time.sleep(0.1)  # until the runner is up (its first round signs a checkpoint)
        delays = []
        for n in range(20):
            time.sleep(random.uniform(0.1, 1.5))  # noqa: S311
            with transaction.atomic():
                [receipt] = append_entries([NewEntry(kind=LogEntryKind.CONFIGURATION, fields={"bench": "d", "n": n})])
            written = time.perf_counter()
            while True:
                entry = _entry(receipt.leaf_hash)
                if entry is not None and Checkpoint.objects.filter(size__gt=entry).exists():
                    break
                time.sleep(0.02)
            delays.append(time.perf_counter() - written)
        delays.sort()
        print(
            f"(d) write -> covering checkpoint with `torelik log run`: p50 {percentile(delays, 50):.2f} s, "
            f"p95 {percentile(delays, 95):.2f} s, max {delays[-1]:.2f} s over {len(delays)} writes (target <= 2 s)"
        )
    finally:
        runner.terminate()
        runner.wait(timeout=30)

    # (e) export of a 1,000-document case
    case = _case_with_documents(1000)
    from torelik.cases.bags import export_bag

    with tempfile.TemporaryDirectory(prefix="torelik-bench-bag-") as work:
        started = time.perf_counter()
        root_dir = export_bag(case, Path(work) / "bag")
        elapsed = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in root_dir.rglob("*") if p.is_file()) / 1e6
    print(f"(e) a case of 1,000 documents exported as a BagIt bag: {elapsed:.2f} s, {size_mb:.1f} MB (target < 10 s)")


def _now() -> "dt.datetime":
    from torelik.core import clock

    return clock.now()


def read_leaves(indices: list[int]) -> list[tuple[int, bytes]]:
    from torelik.archive.models import LogEntry

    return [
        (i, bytes.fromhex(h)) for i, h in LogEntry.objects.filter(index__in=indices).values_list("index", "leaf_hash")
    ]


def _entry(leaf_hash: str) -> int | None:
    from torelik.archive.models import LogEntry

    return LogEntry.objects.filter(leaf_hash=leaf_hash).values_list("index", flat=True).first()


def _case_with_documents(count: int):  # type: ignore[no-untyped-def]
    """A court, a category and a case of `count` documents (each a distinct PDF of about 20 KB)."""
    from torelik.archive.log import sequence_and_checkpoint
    from torelik.cases.actions import DocumentInput, PartyInput, add_document, register_case
    from torelik.cases.models import Channel, PartyRole
    from torelik.courts.models import CaseCategory, Court, CourtKind, Region, Specialisation

    region = Region.objects.create(
        code="99", kind="oblast", name_kk="Б", name_ru="Б", name_en="B", centre_kk="Б", centre_ru="Б", centre_en="B"
    )
    court = Court.objects.create(
        code="9901",
        kind=CourtKind.DISTRICT,
        region=region,
        name_kk="Сот",
        name_ru="Суд",
        name_en="Court",
        search_text="9901",
    )
    category = CaseCategory.objects.create(
        code="142039900000000000",
        name_kk="Б",
        name_ru="Б",
        name_en="B",
        proceeding_type="civil",
        specialisation=Specialisation.CIVIL,
    )

    def pdf(n: int) -> DocumentInput:
        body = b"%PDF-1.4\n" + os.urandom(20_000) + f"\n% document {n}\n%%EOF\n".encode()
        import io

        return DocumentInput(
            document_type="claim", title=f"Document {n}", filename=f"document-{n}.pdf", content=io.BytesIO(body)
        )

    case = register_case(
        court=court,
        proceeding_type="civil",
        category_code=category.code,
        parties=[
            PartyInput(role=PartyRole.CLAIMANT, iin="871008401427", surname="Ахметова", given_name="Айгерим"),
            PartyInput(role=PartyRole.DEFENDANT, bin="940140000385", organisation_name="ТОО Дала Агро"),
        ],
        documents=[pdf(0)],
        actor=None,
        channel=Channel.JUDICIAL_OFFICE,
    )
    for n in range(1, count):
        add_document(case=case, document=pdf(n), actor=None)
    sequence_and_checkpoint()
    return case


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    parser.add_argument("--measure", action="store_true")
    options = parser.parse_args()
    if options.measure:
        _measure(options.log_entries)
    else:
        run(options)
