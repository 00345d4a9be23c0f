"""The demo's court day (ADR 0108): on the database `make setup` seeded (SQLite under var/, or the
PostgreSQL of DATABASE_URL), the pages of the flagship court 1916 served in-process by Django's test
client: its public timetable of the next working day, demo.judge's docket and the court's deadline
dashboard for demo.chairman; p50/p95 of each against the floor (`/healthz` through the same client).
Run alone: `python -m bench.court_day`."""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Sequence

from bench.latency import format_table, percentile

COURT = "1916"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("court day")
    group.add_argument("--court-day-runs", type=int, default=60, help="requests measured per page")


def _measure(client: object, path: str, runs: int, *, built: bool = False) -> tuple[float, float]:
    from django.core.cache import cache

    samples = []
    for _ in range(runs + 3):
        if built:
            cache.clear()  # the public board is kept under its day's version: read and render it anew
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}")
    ordered = sorted(samples[3:])
    return percentile(ordered, 50) * 1000, percentile(ordered, 95) * 1000


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:  # an earlier benchmark set Django up on its own database
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.court_day", "--court-day-runs", str(args.court_day_runs)], check=True
        )
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from torelik.core import clock
    from torelik.deadlines.working_calendar import working_calendar
    from torelik.hearings.models import Hearing
    from torelik.identity.models import User

    print(f"Court day: the flagship court {COURT} of the demo ({connection.vendor})")
    calendar = working_calendar()
    day = clock.today()
    day += dt.timedelta(days=1)
    while not calendar.is_working(day):
        day += dt.timedelta(days=1)
    hearings = Hearing.objects.filter(courtroom__court__code=COURT, starts_at__date=day).count()
    public = Client(SERVER_NAME="localhost")
    judge = Client(SERVER_NAME="localhost")
    judge.force_login(User.objects.get(username="demo.judge"))
    chairman = Client(SERVER_NAME="localhost")
    chairman.force_login(User.objects.get(username="demo.chairman"))
    floor = _measure(public, "/healthz", args.court_day_runs)
    rows = []
    timetable = f"/ru/hearings/courts/{COURT}/?date={day}"
    for label, client, path, built in (
        (f"timetable {day.isoformat()} ({hearings} hearings), kept", public, timetable, False),
        (f"timetable {day.isoformat()} ({hearings} hearings), built", public, timetable, True),
        ("demo.judge's docket", judge, "/ru/cases/?mine=on", False),
        ("court's deadline dashboard", chairman, f"/ru/deadlines/courts/{COURT}/", False),
    ):
        p50, p95 = _measure(client, path, args.court_day_runs, built=built)
        rows.append([label, f"{p50:.1f}", f"{p95:.1f}", f"{floor[1]:.1f}", f"{p95 / floor[1]:.0f}x"])
    print(format_table(["page", "p50 ms", "p95 ms", "floor p95 ms", "ratio"], rows))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.court_day", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
