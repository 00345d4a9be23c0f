"""The statistics (issue 25): a journal of N cases generated in bulk (registered, assigned, accepted;
60 % of them disposed; subpoenas issued and viewed), the counters rebuilt from it by
`rebuild-statistics` (entries/s, and the time that rate gives for the journal of 1 million cases:
target under 10 minutes), then the public national dashboard and a court's dashboard rendered
through Django (p50/p95 of 30 requests, target p95 < 300 ms) beside the floor (the one aggregate of
the counters a dashboard cannot do without). In-process, on a database of its own dropped
afterwards. Run alone: `python -m bench.statistics --statistics-cases 1000000`."""

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from bench import database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("statistics")
    group.add_argument("--statistics-cases", type=int, default=50_000, help="cases of the generated journal")
    group.add_argument("--statistics-rebuild-only", action="store_true", help="measure the rebuild, not the pages")


def _generate(cases: int) -> int:
    """Cases and their journal written in bulk (no handler runs: the rebuild counts them). Entries written."""
    from django.db import transaction

    from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    courts = list(Court.objects.filter(kind="district").values_list("pk", flat=True)) or list(
        Court.objects.values_list("pk", flat=True)
    )
    categories = list(CaseCategory.objects.values_list("pk", "proceeding_type"))
    rng = random.Random(25)  # noqa: S311 - synthetic data
    start = dt.datetime(2020, 1, 1, 4, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 11, 30, tzinfo=dt.UTC) - start).total_seconds()
    channels = ["paper", "judicial_office", "judicial_office", "egov", "psc"]
    written = 0
    chunk = 10_000
    for first in range(0, cases, chunk):
        with transaction.atomic():
            rows = []
            for n in range(first, min(cases, first + chunk)):
                category, proceeding = rng.choice(categories)
                rows.append(
                    Case(
                        number=f"S-{n}",
                        court_id=rng.choice(courts),
                        year=2026,
                        type_code="2",
                        sequence=n,
                        proceeding_type=proceeding,
                        category_id=category,
                        channel=rng.choice(channels),
                        registered_at=start + dt.timedelta(seconds=rng.random() * span),
                    )
                )
            made = Case.objects.bulk_create(rows, batch_size=2000)
            events = []
            for case in made:
                at = case.registered_at
                events.append(CaseEvent(case=case, kind=CaseEventKind.REGISTERED, occurred_at=at, data={}))
                path = [CaseStatus.REGISTERED, CaseStatus.ASSIGNED, CaseStatus.ACCEPTED]
                if rng.random() < 0.6:
                    path.append(rng.choice([CaseStatus.DECIDED, CaseStatus.DECIDED, CaseStatus.RETURNED]))
                for before, after in zip(path, path[1:], strict=False):
                    at += dt.timedelta(days=rng.randrange(1, 90))
                    events.append(
                        CaseEvent(
                            case=case,
                            kind=CaseEventKind.STATUS_CHANGED,
                            occurred_at=at,
                            data={"from": before, "to": after},
                        )
                    )
                if rng.random() < 0.5:
                    events.append(CaseEvent(case=case, kind=CaseEventKind.SUBPOENA_ISSUED, occurred_at=at, data={}))
                    if rng.random() < 0.7:
                        events.append(CaseEvent(case=case, kind=CaseEventKind.SUBPOENA_VIEWED, occurred_at=at, data={}))
            CaseEvent.objects.bulk_create(events, batch_size=5000)
            written += len(events)
            last = {e.case_id: e for e in events if e.kind == CaseEventKind.STATUS_CHANGED}
            by_status: dict[str, list[int]] = {}
            for case_id, entry in last.items():
                by_status.setdefault(str(entry.data["to"]), []).append(case_id)
            for status, ids in by_status.items():
                Case.objects.filter(pk__in=ids).update(status=status)
    return written


def _postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _journal_scan() -> float:
    """Seconds the database takes to read the entries the counters read, each with its case (the floor of
    any recount: what it cannot skip)."""
    from django.db import connection

    from torelik.reports import tally

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(length(e.kind) + length(coalesce(e.data ->> 'to', '')) + c.court_id) "
            "FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id WHERE e.kind = ANY(%s)",
            [sorted(tally.KINDS)],
        )
        cursor.fetchone()
    return time.perf_counter() - started


def _timed(call: Callable[[], object], runs: int = 30) -> tuple[float, float]:
    call()  # warm: the first request loads the templates and the catalogs
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def _measure(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db.models import Sum
    from django.test import Client

    from torelik.reports.models import Counter

    cases = args.statistics_cases
    started = time.perf_counter()
    entries = _generate(cases)
    print(f"  journal generated: {cases:,} cases, {entries:,} entries in {time.perf_counter() - started:.0f} s")

    from torelik.reports import queries

    started = time.perf_counter()
    queries.count_journal()
    counting = time.perf_counter() - started
    print(f"  the journal read and counted in Python alone: {counting:.1f} s, {entries / counting:,.0f} entries/s")
    per_case = entries / cases

    def rebuild(*flags: str) -> float:
        empty = _postgresql() and not flags and not Counter.objects.exists()
        started = time.perf_counter()
        call_command("rebuild-statistics", "--replace", "--quiet-progress", *flags, stdout=io.StringIO())
        took = time.perf_counter() - started
        rate = entries / took
        how = "entry by entry in Python" if flags else "counted by the database" if _postgresql() else "(SQLite)"
        if empty:
            how += ", over empty counters"
        print(
            f"  rebuild from the journal, {how}: {took:.1f} s, {rate:,.0f} entries/s; for 1,000,000 cases "
            f"({per_case:.1f} entries each) that rate gives {per_case * 1_000_000 / rate / 60:.1f} min "
            "(target < 10 min)"
        )
        return rate

    if _postgresql():
        before = rebuild("--in-python")
        after = rebuild()  # the counters agree: recounted and compared, nothing written
        Counter.objects.all().delete()
        written = rebuild()  # over empty counters (a bulk load): every counter written
        floor = _journal_scan()
        print(
            f"  floor (the journal joined to its cases and read by the database, nothing counted): {floor:.1f} s, "
            f"{entries / floor:,.0f} entries/s"
        )
        print(
            f"  rebuild after / before: {after / before:.1f}x (agreeing), {written / before:.1f}x (over empty "
            f"counters); after / floor: {after / (entries / floor):.2f}"
        )
    else:
        rebuild()
    if args.statistics_rebuild_only:
        return
    court = Counter.objects.values("court_id").annotate(n=Sum("count")).order_by("-n").first()
    from torelik.courts.models import Court

    code = Court.objects.get(pk=court["court_id"]).code if court else ""
    client = Client(HTTP_HOST="127.0.0.1")
    counters = Counter.objects.count()
    pages = (
        ("national dashboard", "/en/statistics/?period=2026"),
        ("a court's dashboard", f"/en/statistics/?period=2026&court={code}"),
        ("the national figures by API", "/api/v1/statistics/figures?period=2026"),
    )
    # Before and after in the same run, page by page: the days' rows alone (as before the months'
    # roll-ups, ADR 0090), then the roll-ups and the backlog's one scan.
    for label, path in pages:

        def fetch(path: str = path) -> None:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"bench: {path} answered {response.status_code}")

        for read_roll_ups in (False, True):
            queries.READ_ROLL_UPS = read_roll_ups
            how = "months' roll-ups" if read_roll_ups else "days' rows only (before)"
            p50, p95 = _timed(fetch)
            if os.environ.get("BENCH_PROFILE") and label == "national dashboard":
                import cProfile
                import pstats

                profile = cProfile.Profile()
                profile.runcall(fetch)
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            print(f"  {label}, {how} ({counters:,} counters): p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 < 300 ms)")
    year = {"day__gte": dt.date(2026, 1, 1), "day__lte": dt.date(2026, 12, 31)}
    floor50, floor95 = _timed(
        lambda: Counter.objects.filter(**year).exclude(figure__startswith="m:").aggregate(Sum("count"))
    )
    print(f"  floor (one sum of the year's day counters): p50 {floor50:.1f} ms, p95 {floor95:.1f} ms")
    floor50, floor95 = _timed(lambda: Counter.objects.filter(figure__startswith="m:", **year).aggregate(Sum("count")))
    print(f"  floor (one sum of the year's month roll-ups): p50 {floor50:.1f} ms, p95 {floor95:.1f} ms")


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.statistics", "--statistics-cases", str(args.statistics_cases)]
        if args.statistics_rebuild_only:
            command.append("--statistics-rebuild-only")
        subprocess.run(command, check=True)  # noqa: S603
        return
    print(f"Statistics: counters rebuilt from the journal, dashboards ({database.describe(dict(os.environ))})")
    with database.throwaway_database("statistics") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        _measure(args)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.statistics", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
