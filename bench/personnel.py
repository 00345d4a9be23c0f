"""The personnel reports (issue 28) at national scale, as the Supreme Court's personnel department reads
them: vacancies by court, judges whose term of office ends within a year, absences by court and month
(each as the HTML page with its chart and as CSV), over the national network (377 courts, ~2,400 judges
in their posts, the demo's careers) and ~10,000 absences in the year. In-process through Django's test
client (the whole middleware stack and the templates): p50/p95 beside the floor of `/healthz` through the
same stack. On a database of its own dropped afterwards (a temporary SQLite file, or a new database on the
PostgreSQL server of DATABASE_URL). Run alone: `python -m bench.personnel`.
"""

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence

from bench import database
from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("personnel")
    group.add_argument("--personnel-absences", type=int, default=10_000, help="absences in the year")
    group.add_argument("--personnel-samples", type=int, default=50, help="requests measured per report")


def _timed(samples: int, call: Callable[[], object]) -> list[float]:
    out = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return sorted(out)


def _fill(absences: int) -> None:
    from django.utils import timezone

    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file, seed_court_people
    from torelik.courts.models import AbsenceKind
    from torelik.personnel.demo import seed_demo_personnel
    from torelik.personnel.models import Absence, Post

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    seed_court_people(seed=28)
    seed_demo_personnel(seed=28)
    held = list(Post.objects.filter(holder__isnull=False).values_list("holder_id", "court_id"))
    rng = random.Random(28)  # noqa: S311 - synthetic data
    now = timezone.now()
    year = timezone.localdate(now).year
    kinds = list(AbsenceKind)
    rows = []
    for n in range(absences):
        person_id, court_id = held[n % len(held)]
        # Each person's absences in separate stretches of the year: never overlapping.
        slot = n // len(held)
        first = dt.date(year, 1, 1) + dt.timedelta(days=slot * 60 + rng.randint(0, 30))
        rows.append(
            Absence(
                person_id=person_id,
                court_id=court_id,
                kind=rng.choice(kinds),
                starts_on=first,
                ends_on=first + dt.timedelta(days=rng.randint(1, 20)),
                recorded_at=now,
            )
        )
    Absence.objects.bulk_create(rows, batch_size=2000)


def _measure(args: argparse.Namespace) -> None:
    from django.test import Client

    from torelik.courts.models import Court, StaffRole
    from torelik.identity.models import User
    from torelik.personnel.models import Absence, Post

    started = time.perf_counter()
    _fill(args.personnel_absences)
    took = time.perf_counter() - started
    print(
        f"  filled {Court.objects.count()} courts, {Post.objects.count()} posts "
        f"({Post.objects.filter(holder__isnull=True).count()} vacant), {Absence.objects.count()} absences "
        f"in {took:.1f} s"
    )
    officer = User.objects.create_user(username="kadry", password="a-long-passphrase-1")  # noqa: S106
    officer.positions.create(court=Court.objects.get(code="0001"), role=StaffRole.PERSONNEL_OFFICER)
    client = Client()
    client.force_login(officer)

    def get(path: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(path, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (path, response.status_code)  # noqa: S101
            return response

        return call

    floor = _timed(args.personnel_samples, get("/healthz"))
    floor_p95 = percentile(floor, 95) * 1000
    print(
        f"  floor: /healthz through the same stack: p50 {percentile(floor, 50) * 1000:.1f} ms, p95 {floor_p95:.1f} ms"
    )
    for label, path in (
        ("vacancies by court (HTML, chart)", "/ru/personnel/reports/vacancies/"),
        ("vacancies by court (CSV)", "/ru/personnel/reports/vacancies/?format=csv"),
        ("terms of office ending within a year (HTML)", "/ru/personnel/reports/terms/"),
        ("absences by court and month (HTML, chart)", "/ru/personnel/reports/absences/"),
        ("absences by court and month (CSV)", "/ru/personnel/reports/absences/?format=csv"),
        ("a court's staff table (HTML)", "/ru/personnel/courts/1916/"),
    ):
        get(path)()
        ordered = _timed(args.personnel_samples, get(path))
        p95 = percentile(ordered, 95) * 1000
        print(
            f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {p95:.1f} ms "
            f"({p95 / max(floor_p95, 0.001):.0f}x the floor; target p95 < 300 ms)"
        )


def run(args: argparse.Namespace) -> None:
    argv = ["--personnel-absences", str(args.personnel_absences)]
    argv += ["--personnel-samples", str(args.personnel_samples)]
    database.measured_apart(
        "personnel",
        "Personnel: the national reports of the Supreme Court's personnel department",
        argv,
        lambda: _measure(args),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.personnel", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
