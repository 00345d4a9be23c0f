"""The pages at national scale (issue 24): p50/p95 of each key page over a generated national set.

The set is made once by `torelik generate-national --cases 1000000` in a PostgreSQL database of its
own and kept between runs: name it with TORELIK_NATIONAL_DATABASE_URL (or --national-url); without
one this benchmark says so and skips. Each page is asked N times (default 30, after 3 warm-ups) in
the process through Django's test client (the view, its queries and the template, no HTTP), as the
role that reads it: the judge with the most open cases of the biggest court, that court's chairman,
a Supreme Court analyst (national scope), and anyone for the public pages; the statistics' dashboards
(issue 25) of the country, that court and that judge, and the public one. Registering a case runs the
action itself (parties, a one-page PDF, the journal, the counters) in a transaction rolled back, so
the set stays as generated. Run alone: `python -m bench.national`.
"""

import argparse
import datetime as dt
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.latency import percentile

TARGETS = {
    "docket": 100,
    "case page": 100,
    "deadlines: judge": 300,
    "deadlines: court": 300,
    "deadlines: region": 300,
    "deadlines: national": 300,
    "distribution monitoring": 200,
    "public timetable (day)": 50,
    "court directory": 50,
    "court directory API": 50,
    "court API": 50,
    "case API": 50,
    "register a case": 100,
    "statistics: national": 300,
    "statistics: court": 300,
    "statistics: judge": 300,
    "statistics: public": 300,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("national")
    group.add_argument("--national-url", default=os.environ.get("TORELIK_NATIONAL_DATABASE_URL", ""))
    group.add_argument("--national-runs", type=int, default=30, help="requests measured per page")
    group.add_argument("--national-only", default="", help="comma-separated page names to measure (default all)")


def run(args: argparse.Namespace) -> None:
    print("National scale (issue 24): p95 of each page over the generated national set")
    if not args.national_url:
        print("  skipped: set TORELIK_NATIONAL_DATABASE_URL to a database made by `torelik generate-national`")
        return
    env = {**os.environ, "DATABASE_URL": args.national_url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.setdefault("TORELIK_DEBUG", "false")
    env.setdefault("TORELIK_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    command = [sys.executable, "-m", "bench.national", "--inner", "--national-runs", str(args.national_runs)]
    if args.national_only:
        command += ["--national-only", args.national_only]
    subprocess.run(command, env=env, check=False, timeout=3600)  # noqa: S603


def _timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    for _ in range(3):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return percentile(samples, 50), percentile(samples, 95)


def _inner(runs: int, only: set[str]) -> None:  # noqa: C901, PLR0915 - one scenario, read top to bottom
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test import Client

    from torelik.cases.actions import DocumentInput, PartyInput, register_case
    from torelik.cases.models import Case, CaseStatus
    from torelik.core import clock
    from torelik.core.identifiers import check_digit
    from torelik.courts.models import Court, CourtKind, Judge, StaffPosition, StaffRole
    from torelik.hearings.models import Hearing
    from torelik.identity.models import Person, User
    from torelik.national.reference import one_line_pdf

    closed = (CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.IN_FORCE, CaseStatus.RETURNED, CaseStatus.REFUSED)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        (cases,) = cursor.fetchone() or (0,)
    print(f"  set: {cases:,} cases in {connection.settings_dict['NAME']}")
    # The biggest court (most hearings), its busiest judge, and the accounts that read them.
    biggest = Case.objects.filter(court__kind=CourtKind.DISTRICT).values("court").annotate(n=Count("id")).order_by("-n")
    court = Court.objects.get(pk=biggest[0]["court"])
    judge = (
        Judge.objects.filter(court=court)
        .annotate(n=Count("cases", filter=~Q(cases__status__in=closed)))
        .order_by("-n")
        .select_related("person")
        .first()
    )
    if judge is None:
        raise SystemExit("no judge in the biggest court: is this a generated set?")

    def account(username: str, person: Person | None, court: Court, role: str) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"person": person})
        StaffPosition.objects.get_or_create(user=user, court=court, role=role, defaults={"judge": None})
        return user

    judge_user = User.objects.filter(person=judge.person).first() or account(
        f"bench.judge.{judge.pk}", judge.person, court, StaffRole.JUDGE
    )
    if not StaffPosition.objects.filter(user=judge_user, court=court).exists():
        StaffPosition.objects.create(user=judge_user, court=court, role=StaffRole.JUDGE)
    chairman = account(f"bench.chairman.{court.code}", None, court, StaffRole.CHAIRMAN)
    clerk = account(f"bench.clerk.{court.code}", None, court, StaffRole.CLERK)
    supreme = account("bench.supreme", None, Court.objects.get(kind=CourtKind.SUPREME), StaffRole.ANALYST)
    clients = {}
    for name, user in (("judge", judge_user), ("chairman", chairman), ("supreme", supreme)):
        clients[name] = Client()
        clients[name].force_login(user)
    public = Client()
    open_cases = Case.objects.filter(judge=judge).exclude(status__in=closed).count()
    busiest_day = (
        Hearing.objects.filter(courtroom__court=court, starts_at__gte=clock.now())
        .extra(select={"day": "date(starts_at AT TIME ZONE 'Asia/Almaty')"})  # noqa: S610 - constant SQL
        .values("day")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    day = busiest_day["day"] if busiest_day else clock.today() + dt.timedelta(days=1)
    print(
        f"  biggest court {court.code} ({court.name_en}); judge {judge.pk} with {open_cases:,} open cases; "
        f"timetable of {day} with {busiest_day['n'] if busiest_day else 0} hearings"
    )
    sample = list(Case.objects.filter(court=court).order_by("?").values_list("number", flat=True)[: runs + 3])
    turn = {"i": 0}

    def next_case() -> str:
        turn["i"] += 1
        return sample[turn["i"] % len(sample)]

    def get(client: Client, path: Callable[[], str] | str) -> Callable[[], object]:
        def call() -> None:
            url = path() if callable(path) else path
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")

        return call

    def _register(**arguments: Any) -> None:
        try:
            register_case(**arguments)
        except Exception as error:
            raise SystemExit(f"register: {error} {getattr(error, 'fields', '')}") from error

    civil_category = (
        Case.objects.filter(court=court, proceeding_type="civil").values_list("category__code", flat=True).first()
    )

    def valid(prefix: str) -> str:
        for serial in range(10_000):
            first = f"{prefix}{serial:04d}"[:11]
            digit = check_digit(first)
            if digit is not None:
                return f"{first}{digit}"
        raise SystemExit("no valid identifier")

    iin, bin_ = valid("9001013"), valid("0504400")

    def register() -> None:
        with transaction.atomic():
            _register(
                court=court,
                proceeding_type="civil",
                category_code=civil_category,
                parties=[
                    PartyInput(role="claimant", iin=iin, surname="Ахметов", given_name="Асхат", address="Алматы"),
                    PartyInput(role="defendant", bin=bin_, organisation_name="ТОО «Дала»", address="Алматы"),
                ],
                documents=[
                    DocumentInput(
                        document_type="claim",
                        title="claim",
                        filename="claim.pdf",
                        content=io.BytesIO(one_line_pdf("bench")),
                    )
                ],
                actor=clerk,
            )
            transaction.set_rollback(True)

    pages: dict[str, Callable[[], object]] = {
        "docket": get(clients["judge"], "/ru/cases/?mine=on"),
        "case page": get(clients["chairman"], lambda: f"/ru/cases/{next_case()}/"),
        "deadlines: judge": get(clients["judge"], "/ru/deadlines/judge/"),
        "deadlines: court": get(clients["chairman"], f"/ru/deadlines/courts/{court.code}/"),
        "deadlines: region": get(clients["supreme"], f"/ru/deadlines/regions/{court.region.code}/")
        if court.region
        else get(public, "/ru/courts/"),
        "deadlines: national": get(clients["supreme"], "/ru/deadlines/national/"),
        "distribution monitoring": get(clients["chairman"], f"/ru/distribution/monitoring/{court.code}/"),
        "public timetable (day)": get(public, f"/ru/hearings/courts/{court.code}/?date={day}"),
        "court directory": get(public, "/ru/courts/"),
        "court directory API": get(public, "/api/v1/courts"),
        "court API": get(public, f"/api/v1/courts/{court.code}"),
        "case API": get(clients["chairman"], lambda: f"/api/v1/cases/{next_case()}"),
        "register a case": register,
        "statistics: national": get(clients["supreme"], "/ru/statistics/staff/"),
        "statistics: court": get(clients["chairman"], f"/ru/statistics/staff/courts/{court.code}/"),
        "statistics: judge": get(clients["chairman"], f"/ru/statistics/staff/courts/{court.code}/judges/{judge.pk}/"),
        "statistics: public": get(public, "/ru/statistics/"),
    }
    print(f"  {'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'target':>8}  verdict")
    # The floor of this run: Django's request stack and middleware around a view that reads nothing
    # (/healthz), measured in the same process and moment, to read the pages' figures against the load.
    floor50, floor95 = _timed(get(public, "/healthz"), runs)
    print(f"  {'floor: /healthz':<26} {floor50:8.1f} {floor95:8.1f} {'-':>8}  (the request stack alone)", flush=True)
    for name, call in pages.items():
        if only and name not in only:
            continue
        p50, p95 = _timed(call, runs)
        target = TARGETS[name]
        verdict = "within" if p95 <= target else f"MISSES ({p95 / target:.1f}x)"
        print(f"  {name:<26} {p50:8.1f} {p95:8.1f} {target:8d}  {verdict}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.national")
    add_arguments(parser)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.inner:
        _inner(arguments.national_runs, {n for n in arguments.national_only.split(",") if n})
    else:
        run(arguments)
