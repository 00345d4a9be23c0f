"""Procedural terms: computing every term of many cases, and the Supreme Court dashboard.

(a) The last days of every term of N cases (default 100,000): for each case a random event day in
    2025–2026 and each of its civil rules (5 and 15 working days, one and two months), through
    the working calendar with the project table: cases per second.
(b) The national dashboard (counts per court and region, aggregated in SQL) over M synthetic terms
    (default 1,000,000) in a throw-away PostgreSQL database: p50/p95 of `queries.national`.
    Needs DATABASE_URL naming a PostgreSQL server; on SQLite (b) runs over a tenth of M.

Everything runs in a database of its own, dropped afterwards (a temporary SQLite file, or a new
database on the PostgreSQL server of DATABASE_URL). Run alone: `python -m bench.deadlines`.
"""

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import database
from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("deadlines")
    group.add_argument("--deadline-cases", type=int, default=100_000, help="cases whose terms are computed")
    group.add_argument("--dashboard-terms", type=int, default=1_000_000, help="terms under the national dashboard")
    group.add_argument("--dashboard-runs", type=int, default=30, help="dashboard queries measured")


@contextmanager
def _throwaway_database() -> Iterator[tuple[str, bool]]:
    url = database.database_url(os.environ)
    if url is not None and database.is_postgresql(url):
        with database.empty_postgresql_database(url) as fresh:
            yield fresh, True
        return
    with tempfile.TemporaryDirectory(prefix="torelik-bench-deadlines-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}", False


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _compute_terms(cases: int) -> None:
    from torelik.deadlines.working_calendar import working_calendar

    calendar = working_calendar()
    rng = random.Random(5)  # noqa: S311 - synthetic data
    first = dt.date(2025, 1, 1)
    rules = [(5, "working_days"), (15, "working_days"), (1, "months"), (2, "months")]
    days = [first + dt.timedelta(days=rng.randrange(700)) for _ in range(cases)]
    started = time.perf_counter()
    terms = 0
    for day in days:
        for amount, unit in rules:
            calendar.add(day, amount, unit, explain=False)
            terms += 1
    elapsed = time.perf_counter() - started
    print(f"  (a) {cases:,} cases, {terms:,} terms computed in {elapsed:.2f} s: {cases / elapsed:,.0f} cases/s")


_CASES_SQL = """
INSERT INTO cases_case (public_id, created_at, updated_at, number, court_id, year, type_code, sequence,
    proceeding_type, instance, category_id, subject, status, channel, registered_at, consent_sms, consent_email)
SELECT md5(g::text)::uuid, now(), now(), 'B-' || g, c.id, 2026, '2', g, 'civil', 'first', %(category)s, '',
    'accepted', 'paper', now(), false, false
FROM generate_series(1, %(cases)s) AS g
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM courts_court) AS c ON c.n = g %% %(courts)s
"""
_TERMS_SQL = """
INSERT INTO deadlines_term (case_id, rule_id, court_id, judge_id, responsible, status, started_by, event_date,
    amount, unit, due_date, original_due_date, adjustments, history, opened_at, ended_by)
SELECT k.id, %(rule)s, k.court_id, NULL,
    CASE WHEN r < 0.08 THEN 'party' WHEN r < 0.2 THEN 'court_office' ELSE 'judge' END,
    CASE WHEN s < 0.25 THEN 'running' WHEN s < 0.28 THEN 'paused' WHEN s < 0.9 THEN 'met' ELSE 'missed' END,
    'accepted', d - 20, 15, 'working_days', d, d, '[]', '[]', now(), ''
FROM (
    SELECT g, random() AS r, random() AS s, DATE '2026-11-29' - (random() * 365)::int + 30 AS d
    FROM generate_series(0, %(terms)s - 1) AS g
) AS t
JOIN cases_case AS k ON k.number = 'B-' || (t.g %% %(cases)s + 1)
"""


def _fill_postgresql(terms: int) -> float:
    from django.db import connection

    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court
    from torelik.deadlines.models import TermRule

    started = time.perf_counter()
    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    rule = TermRule.objects.get(code="civil-preparation")
    cases = max(1, terms // 4)
    with connection.cursor() as cursor:
        params = {"category": category.pk if category else None, "cases": cases, "courts": Court.objects.count()}
        cursor.execute(_CASES_SQL, params)
        cursor.execute(_TERMS_SQL, {"rule": rule.pk, "terms": terms, "cases": cases})
        cursor.execute("VACUUM ANALYZE deadlines_term")
    return time.perf_counter() - started


def _fill_sqlite(terms: int) -> float:
    from torelik.cases.models import Case
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court
    from torelik.deadlines.models import Term, TermRule

    started = time.perf_counter()
    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    rule = TermRule.objects.get(code="civil-preparation")
    courts = list(Court.objects.values_list("pk", flat=True))
    now = dt.datetime.now(tz=dt.UTC)
    rng = random.Random(5)  # noqa: S311 - synthetic data
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"B-{n}",
                court_id=courts[n % len(courts)],
                year=2026,
                type_code="2",
                sequence=n,
                proceeding_type="civil",
                category=category,
                registered_at=now,
            )
            for n in range(max(1, terms // 4))
        ],
        batch_size=2000,
    )
    base = dt.date(2026, 11, 29)
    rows = []
    for n in range(terms):
        case = cases[n % len(cases)]
        due = base - dt.timedelta(days=rng.randrange(365) - 30)
        r, s = rng.random(), rng.random()
        rows.append(
            Term(
                case=case,
                rule=rule,
                court_id=case.court_id,
                responsible="party" if r < 0.08 else "court_office" if r < 0.2 else "judge",
                status="running" if s < 0.25 else "paused" if s < 0.28 else "met" if s < 0.9 else "missed",
                started_by="accepted",
                event_date=due - dt.timedelta(days=20),
                amount=15,
                unit="working_days",
                due_date=due,
                original_due_date=due,
                opened_at=now,
            )
        )
    Term.objects.bulk_create(rows, batch_size=5000)
    return time.perf_counter() - started


def _dashboard(terms: int, runs: int, postgresql: bool) -> None:
    from torelik.deadlines import queries

    if not postgresql:
        terms = terms // 10
    fill = _fill_postgresql(terms) if postgresql else _fill_sqlite(terms)
    today = dt.date(2026, 11, 29)
    queries.national(today)  # warm up
    samples = []
    for _run in range(runs):
        started = time.perf_counter()
        regions, courts = queries.national(today)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    engine = "PostgreSQL" if postgresql else "SQLite"
    print(f"  (b) {terms:,} terms on {engine} (inserted in {fill:.1f} s): {len(regions)} regions, {len(courts)} courts")
    print(
        f"      national dashboard over {runs} runs: p50 {percentile(samples, 50):.0f} ms, "
        f"p95 {percentile(samples, 95):.0f} ms, max {samples[-1]:.0f} ms (target p95 < 300 ms)"
    )


def run(args: argparse.Namespace) -> None:
    print("Procedural terms (bench/deadlines.py)")
    with _throwaway_database() as (url, postgresql):
        _setup(url)
        _compute_terms(args.deadline_cases)
        _dashboard(args.dashboard_terms, args.dashboard_runs, postgresql)
        from django.db import connections

        connections.close_all()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.deadlines", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
