"""Building access (issue 28): the entrance desk's lookup of a visitor by IIN (today's hearings in the
building with their subpoenas, a ban, a visit already open: what the page asks) on a court's day of 40
hearings and 400 participants among months of other days; a registration; and the device events a
turnstile sends (`POST /api/v1/access/events`), in-process and over HTTP to a `torelik runserver`
process through the device simulator, one client and four. Figures, no verdicts. On a database of its
own dropped afterwards (a temporary SQLite file, or a new database on the PostgreSQL server of
DATABASE_URL). Run alone: `python -m bench.access`."""

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from bench import database, server
from bench.latency import percentile

HEARINGS_PER_DAY = 40
PEOPLE_PER_HEARING = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("access")
    group.add_argument("--access-days", type=int, default=120, help="other days of 40 hearings in the court")
    group.add_argument("--access-samples", type=int, default=300, help="lookups and registrations measured")
    group.add_argument("--access-events", type=int, default=600, help="device events sent over HTTP")


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    out = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        out.append(time.perf_counter() - started)
    return sorted(out)


def _line(label: str, ordered: Sequence[float]) -> str:
    return f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"


def _fill(days: int) -> tuple[list[str], int]:
    """A court with 10 courtrooms; today and `days` days before, 40 hearings a day with 10 participants
    each. The IINs of today's participants, and the court's id."""
    from django.utils import timezone

    from torelik.access.actions import add_entrance
    from torelik.cases.models import Case
    from torelik.core.identifiers import check_digit
    from torelik.courts.actions import import_case_categories
    from torelik.courts.demo import CASE_CATEGORIES_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Courtroom, Judge, Region
    from torelik.hearings.models import Hearing, HearingParticipant
    from torelik.hearings.working_hours import court_zone
    from torelik.identity.models import Person

    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    region = Region.objects.create(code="75", kind="city", name_kk="Алматы", name_ru="Алматы", name_en="Almaty")
    court = Court.objects.create(code="7501", kind="district", region=region, name_kk="С", name_ru="С", name_en="C")
    add_entrance(court=court, code="main", names=("Бас", "Главный", "Main"))
    rooms = Courtroom.objects.bulk_create([Courtroom(court=court, number=str(100 + n)) for n in range(10)])
    iins: list[str] = []
    serial = 0
    while len(iins) < 6000:
        serial += 1
        first = f"800101{3 + serial % 2}{serial:04d}"
        digit = check_digit(first)
        if digit is not None:
            iins.append(f"{first}{digit}")
    people = Person.objects.bulk_create(
        [Person(iin=iin, surname="Қатысушы", given_name=str(n)) for n, iin in enumerate(iins)], batch_size=2000
    )
    judge = Judge.objects.create(person=people[-1], court=court)
    zone = court_zone(court)
    today = timezone.now().astimezone(zone).date()
    cases = Case.objects.bulk_create(
        [
            Case(number=f"7501-26-00-2/{n}", court=court, year=2026, type_code="2", sequence=n + 1,
                 proceeding_type="civil", category=category, judge=judge, status="scheduled",
                 registered_at=timezone.now())
            for n in range((days + 1) * HEARINGS_PER_DAY)
        ],
        batch_size=2000,
    )  # fmt: skip
    hearings = []
    for day_index in range(days + 1):
        day = today - dt.timedelta(days=day_index)
        for n in range(HEARINGS_PER_DAY):
            starts = dt.datetime.combine(day, dt.time(9 + (n // 10) * 2, 0), tzinfo=zone)
            hearings.append(
                Hearing(case=cases[day_index * HEARINGS_PER_DAY + n], courtroom=rooms[n % 10], starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=1), judge=judge)
            )  # fmt: skip
    hearings = Hearing.objects.bulk_create(hearings, batch_size=2000)
    pick = random.Random(28)  # noqa: S311 - a benchmark's sample, not a secret
    participants = [
        HearingParticipant(hearing=hearing, role="party" if k < 2 else "witness", person=person)
        for hearing in hearings
        for k, person in enumerate(pick.sample(people[:-1], PEOPLE_PER_HEARING))
    ]
    HearingParticipant.objects.bulk_create(participants, batch_size=5000)
    today_iins = [p.person.iin for p in participants[: HEARINGS_PER_DAY * PEOPLE_PER_HEARING]]
    return today_iins, court.pk


def _measure(args: argparse.Namespace) -> None:
    from django.db import connection

    from torelik.access import actions, queries
    from torelik.access.models import Badge, Entrance
    from torelik.courts.models import Court
    from torelik.identity.models import User

    started = time.perf_counter()
    iins, court_id = _fill(args.access_days)
    court = Court.objects.select_related("region").get(pk=court_id)
    took = time.perf_counter() - started
    total = (args.access_days + 1) * HEARINGS_PER_DAY
    print(
        f"  filled {total} hearings ({HEARINGS_PER_DAY} today), {total * PEOPLE_PER_HEARING} participants"
        f" in {took:.1f} s"
    )
    entrance = Entrance.objects.select_related("court__region").get(court=court)
    officer = User.objects.create_user(username="entrance", password="a-long-passphrase-1")  # noqa: S106
    pick = random.Random(28)  # noqa: S311

    def lookup(_index: int) -> None:
        iin = pick.choice(iins)
        day = queries.local_day(court)
        queries.person_with_iin(iin)
        summoned = queries.hearings_today(court=court, iin=iin, day=day)
        assert summoned  # noqa: S101 - every sampled IIN is summoned today
        queries.ban_on(court=court, day=day, iin=iin)
        queries.open_visit(court=court, day=day, iin=iin)

    lookup(0)
    print(_line("registration lookup by IIN (today's hearings, ban, open visit)", _timed(args.access_samples, lookup)))
    unregistered = list(iins)
    pick.shuffle(unregistered)

    def register(index: int) -> None:
        actions.register_visitor(entrance=entrance, officer=officer, iin=unregistered[index % len(unregistered)])

    print(
        _line("registration of a summoned visitor (lookup, pass, visit written)", _timed(args.access_samples, register))
    )
    floor = _timed(args.access_samples, lambda _i: Court.objects.filter(pk=court_id).exists())
    print(_line("floor: one indexed query", floor))

    badges = Badge.objects.bulk_create(
        [Badge(number=f"75-{n:05d}", court=court, user=officer) for n in range(200)], batch_size=200
    )
    events = len(badges) * 2
    started = time.perf_counter()
    for direction in ("in", "out"):
        for badge in badges:
            actions.record_passage(entrance=entrance, direction=direction, badge=badge.number)
    rate = events / (time.perf_counter() - started)
    print(f"  device events in-process (badge in then out, passage written): {rate:.0f} events/s")
    _device, token = actions.register_device(entrance=entrance, name="bench")
    connection.close()
    _over_http(args, token, [badge.number for badge in badges])


def _over_http(args: argparse.Namespace, token: str, badges: list[str]) -> None:
    import httpx

    from torelik.access.simulator import Turnstile

    env = server.bench_environment({"DJANGO_SETTINGS_MODULE": "config.settings.local"})
    with server.running_server(env=env) as running:
        with httpx.Client(timeout=5, trust_env=False) as client:
            started = time.perf_counter()
            for _ in range(200):
                client.get(f"{running.base_url}/healthz")
            floor = 200 / (time.perf_counter() - started)
        count: int = min(int(args.access_events), len(badges) * 2)

        def one_client() -> float:
            turnstile = Turnstile(running.base_url, token, retries=0, client=httpx.Client(timeout=5, trust_env=False))
            begun = time.perf_counter()
            for n in range(count):
                answer = turnstile.badge(badges[n % len(badges)], "in" if n < len(badges) else "out")
                assert answer.allowed, answer  # noqa: S101
            turnstile.close()
            return count / (time.perf_counter() - begun)

        sequential = one_client()

        def worker(chunk: list[str]) -> None:
            turnstile = Turnstile(running.base_url, token, retries=0, client=httpx.Client(timeout=5, trust_env=False))
            for direction in ("in", "out"):
                for number in chunk:
                    answer = turnstile.badge(number, direction)
                    assert answer.allowed, answer  # noqa: S101
            turnstile.close()

        chunks = [badges[k::4] for k in range(4)]
        begun = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(worker, chunks))
        parallel = len(badges) * 2 / (time.perf_counter() - begun)
    print(f"  device events over HTTP (runserver, simulator), 1 client: {sequential:.0f} events/s")
    print(f"  device events over HTTP, 4 clients: {parallel:.0f} events/s")
    print(f"  floor: GET /healthz over HTTP, 1 client: {floor:.0f} requests/s")


def run(args: argparse.Namespace) -> None:
    argv = ["--access-days", str(args.access_days)]
    argv += ["--access-samples", str(args.access_samples), "--access-events", str(args.access_events)]
    database.measured_apart(
        "access",
        "Building access: the entrance desk's lookup by IIN, registrations, turnstile events",
        argv,
        lambda: _measure(args),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.access", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
