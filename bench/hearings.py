"""Hearings: the public timetable of a big court for one day (`GET /api/v1/hearings?court=&date=`),
as JSON and as iCalendar, served in-process by Django's test client: p50/p95 per format.

The data is synthetic, in a database of its own dropped afterwards (a temporary SQLite file, or a
new database on the PostgreSQL server of DATABASE_URL): the court registry, then for the court
with the most courtrooms a day of hearings in every courtroom (eight one-hour slots, one in seven
closed) and the same for `--hearing-days` other days. Run alone: `python -m bench.hearings`.
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from bench import database
from bench.latency import percentile

DAY = dt.date(2027, 3, 3)
SLOTS = (9, 10, 11, 12, 14, 15, 16, 17)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("hearings")
    group.add_argument("--hearing-days", type=int, default=20, help="other days of hearings in the big court")
    group.add_argument("--timetable-runs", type=int, default=200, help="timetable requests measured per format")


@contextmanager
def _throwaway_database() -> Iterator[str]:
    url = database.database_url(os.environ)
    if url is not None and database.is_postgresql(url):
        with database.empty_postgresql_database(url) as fresh:
            yield fresh
        return
    with tempfile.TemporaryDirectory(prefix="torelik-bench-hearings-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


def _fill(days: int) -> tuple[str, int]:
    from torelik.cases.models import Case
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Courtroom, Judge
    from torelik.hearings.models import Hearing
    from torelik.identity.models import Person

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    assert category is not None  # noqa: S101 - the registry holds civil categories
    court = max(Court.objects.select_related("region"), key=lambda c: c.courtrooms.count())
    rooms = list(Courtroom.objects.filter(court=court))
    zone = ZoneInfo(court.region.time_zone if court.region else "Asia/Almaty")
    people = Person.objects.bulk_create(
        [Person(iin=f"{800101300000 + n:012d}", surname="Судья", given_name=str(n)) for n in range(len(rooms))]
    )
    judges = Judge.objects.bulk_create([Judge(person=p, court=court) for p in people])
    all_days = [DAY] + [DAY + dt.timedelta(days=n + 1) for n in range(days)]
    slots = [(day, hour, index) for day in all_days for hour in SLOTS for index in range(len(rooms))]
    now = dt.datetime.now(tz=dt.UTC)
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"B-{n}",
                court=court,
                year=2027,
                type_code="2",
                sequence=n,
                proceeding_type="civil",
                category=category,
                judge=judges[slot[2]],
                status="scheduled",
                registered_at=now,
            )
            for n, slot in enumerate(slots, start=1)
        ],
        batch_size=1000,
    )
    Hearing.objects.bulk_create(
        [
            Hearing(
                case=case,
                courtroom=rooms[index],
                judge=judges[index],
                starts_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone),
                ends_at=dt.datetime(day.year, day.month, day.day, hour, 50, tzinfo=zone),
                is_closed=n % 7 == 3,
            )
            for n, (case, (day, hour, index)) in enumerate(zip(cases, slots, strict=True))
        ],
        batch_size=1000,
    )
    return court.code, len(rooms) * len(SLOTS)


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        # An earlier benchmark set Django up on its own database: measure in a fresh process.
        command = [sys.executable, "-m", "bench.hearings", "--hearing-days", str(args.hearing_days)]
        subprocess.run([*command, "--timetable-runs", str(args.timetable_runs)], check=True)  # noqa: S603
        return
    print("Hearings: public timetable of a big court for one day")
    with _throwaway_database() as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django
        from django.core.management import call_command
        from django.test import Client

        django.setup()
        call_command("migrate", verbosity=0)
        code, per_day = _fill(args.hearing_days)
        client = Client(SERVER_NAME="localhost")
        path = f"/api/v1/hearings?court={code}&date={DAY.isoformat()}"
        for label, suffix in (("JSON", ""), ("iCalendar", "&format=ics")):
            samples = []
            for _run in range(args.timetable_runs + 5):
                started = time.perf_counter()
                response = client.get(path + suffix)
                samples.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(
                        f"bench: {path + suffix} answered {response.status_code}: {response.content[:300]!r}"
                    )
            ordered = sorted(samples[5:])
            print(
                f"  court {code}, {per_day} hearings that day ({label}): "
                f"p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"
            )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hearings", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
