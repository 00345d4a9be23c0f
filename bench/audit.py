"""The audit review (issue 31, ADR 0083), in a throw-away database (PostgreSQL when DATABASE_URL names one):
N openings of case files by 20 staff over a year, N/10 journal actions; p50/p95 over 30 reads of a page of
50 rows (a) newest of every court, (b) one person in one month, (c) a page deep in the log by its keyset
cursor, and (d) the export of one month's rows. No target in the issue; the floor is one indexed read of
50 access rows alone.

    python -m bench.audit [--audit-rows 200000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from bench import database
from bench.latency import percentile
from bench.server import PROJECT_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--audit-rows", type=int, default=200000, help="case-file openings in the access log")


def run(args: argparse.Namespace) -> None:
    print("== audit review")
    with database.throwaway_database("audit") as url, tempfile.TemporaryDirectory(prefix="torelik-bench-aud-") as var:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local",
               "TORELIK_VAR_DIR": var, "TORELIK_SEND_MESSAGES": "off"}  # fmt: skip
        print(f"database: {database.describe(env)}")
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.audit", "--measure", "--audit-rows", str(args.audit_rows)],
            env=env,
            cwd=PROJECT_DIR,
            check=True,
        )


def _timed(work: object, runs: int = 30) -> str:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    times.sort()
    return f"p50 {percentile(times, 50) * 1000:.1f} ms, p95 {percentile(times, 95) * 1000:.1f} ms"


def _measure(rows: int) -> None:
    import django

    django.setup()
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command

    from torelik.cases.actions import register_case
    from torelik.cases.models import AccessKind, CaseAccess, CaseEvent, CaseEventKind
    from torelik.cases.tests.factories import (
        claim_document,
        claimant_and_defendant,
        court_office,
        ensure_claim_document_type,
        staff_user,
    )
    from torelik.courts.models import ProceedingType, StaffRole
    from torelik.operations.access import AuditScope
    from torelik.operations.queries import AuditFilter, audit_rows, parse_cursor

    call_command("migrate", "--no-input", verbosity=0)
    ensure_claim_document_type()
    office = court_office("0215")
    case = register_case(
        court=office.court, proceeding_type=ProceedingType.CIVIL, category_code=office.category.code,
        parties=claimant_and_defendant(), documents=[claim_document()], actor=office.clerk,
        claim_amount=Decimal("1500000"), subject="bench",
    )  # fmt: skip
    users = [staff_user(f"staff.{n}", office.court, StaffRole.JUDGE) for n in range(20)]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=365) / rows
    CaseAccess.objects.bulk_create(
        [CaseAccess(case=case, user=users[n % 20], kind=AccessKind.CASE_OPENED, at=start + step * n)
         for n in range(rows)],
        batch_size=5000,
    )  # fmt: skip
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, kind=CaseEventKind.STATUS_CHANGED, actor=users[n % 20], occurred_at=start + step * n * 10)
         for n in range(rows // 10)],
        batch_size=5000,
    )  # fmt: skip
    national = AuditScope(court_ids=None, administration=True)
    court = AuditScope(court_ids=frozenset({office.court.pk}), administration=False)
    june = AuditFilter(since=dt.datetime(2026, 6, 1, tzinfo=dt.UTC), until=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    one = AuditFilter(person="staff.7", since=june.since, until=june.until)
    middle = audit_rows(national, AuditFilter(), limit=1)[0].at - dt.timedelta(days=180)
    deep = AuditFilter(after=parse_cursor(f"{middle.isoformat()}|0|{rows // 2}"))
    print(f"{rows:,} openings and {rows // 10:,} actions by 20 staff over a year; pages of 50 rows:")
    print(f"(a) newest of every court: {_timed(lambda: audit_rows(national, AuditFilter()))}")
    print(f"(b) one person in one month (chairman): {_timed(lambda: audit_rows(court, one))}")
    print(f"(c) a page half a year deep by its cursor: {_timed(lambda: audit_rows(national, deep))}")
    exported = len(audit_rows(court, june, limit=50_000))
    print(f"(d) one month's export ({exported:,} rows): {_timed(lambda: audit_rows(court, june, limit=50_000), 3)}")
    floor = _timed(lambda: list(CaseAccess.objects.order_by("-at", "-id")[:50]))
    print(f"floor: 50 access rows by the index alone: {floor}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    parser.add_argument("--measure", action="store_true")
    options = parser.parse_args()
    if options.measure:
        _measure(options.audit_rows)
    else:
        run(options)
