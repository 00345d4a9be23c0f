"""Subpoenas: how fast they are issued with their outbox rows (subpoenas/s), how long a check of
phone and code takes for a right code, a wrong code and an unknown phone (p50/p95: the last two
should look alike), the sealed PDF (made and sealed, then served again), and the statistics of a
month over many subpoenas. In-process, on a database of its own dropped afterwards (a temporary
SQLite file, or a new database on the PostgreSQL server of DATABASE_URL). Run alone:
`python -m bench.summons`.
"""

import argparse
import datetime as dt
import time
from collections.abc import Callable, Sequence

from bench import database
from bench.latency import percentile

DAY = dt.date(2027, 3, 3)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("summons")
    group.add_argument("--summons-hearings", type=int, default=2000, help="hearings (two participants each)")
    group.add_argument("--summons-checks", type=int, default=300, help="code checks measured per kind")
    group.add_argument("--summons-pdfs", type=int, default=20, help="subpoena PDFs made and sealed")


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    out = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        out.append(time.perf_counter() - started)
    return sorted(out)


def _line(label: str, ordered: Sequence[float]) -> str:
    return f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"


def _fill(hearings: int) -> list[int]:
    """A court, `hearings` cases each with a claimant and a defendant with phones, a hearing each
    (with its two participants) — written directly, without issuing subpoenas."""
    from zoneinfo import ZoneInfo

    from torelik.cases.models import Case, Party
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Courtroom, Judge
    from torelik.hearings.models import Hearing, HearingParticipant
    from torelik.identity.models import Person

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    assert category is not None  # noqa: S101 - the registry holds civil categories
    court = max(Court.objects.select_related("region"), key=lambda c: c.courtrooms.count())
    room = Courtroom.objects.filter(court=court).first()
    assert room is not None  # noqa: S101 - the busiest court has courtrooms
    zone = ZoneInfo(court.region.time_zone if court.region else "Asia/Almaty")
    judge = Judge.objects.create(
        person=Person.objects.create(iin="800101300000", surname="Судья", given_name="Бас"), court=court
    )
    people = Person.objects.bulk_create(
        [Person(iin=f"{900101300000 + n:012d}", surname="Қатысушы", given_name=str(n)) for n in range(2 * hearings)],
        batch_size=1000,
    )
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
                judge=judge,
                status="scheduled",
                registered_at=now,
            )
            for n in range(1, hearings + 1)
        ],
        batch_size=1000,
    )
    Party.objects.bulk_create(
        [
            Party(
                case=case, role=role, person=people[2 * n + k], phone=f"+7701{2 * n + k:07d}", preferred_language="kk"
            )
            for n, case in enumerate(cases)
            for k, role in enumerate(("claimant", "defendant"))
        ],
        batch_size=1000,
    )
    start = dt.datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=zone)
    rows = Hearing.objects.bulk_create(
        [
            Hearing(case=case, courtroom=room, judge=judge, starts_at=start, ends_at=start + dt.timedelta(hours=1))
            for case in cases
        ],
        batch_size=1000,
    )
    HearingParticipant.objects.bulk_create(
        [
            HearingParticipant(hearing=hearing, role="party", person=people[2 * n + k])
            for n, hearing in enumerate(rows)
            for k in range(2)
        ],
        batch_size=1000,
    )
    return [hearing.pk for hearing in rows]


def _measure(args: argparse.Namespace) -> None:
    from django.db import transaction

    from torelik.core import clock
    from torelik.core.errors import DomainError
    from torelik.hearings.models import Hearing
    from torelik.summons import actions, queries
    from torelik.summons.models import CodeAttempt, Subpoena

    hearing_ids = _fill(args.summons_hearings)
    codes: dict[str, str] = {}
    started = time.perf_counter()
    for hearing in Hearing.objects.filter(pk__in=hearing_ids).order_by("id"):
        with transaction.atomic():
            for issued in actions.issue_subpoenas(hearing=hearing, actor=None):
                codes[issued.subpoena.phone] = issued.code
    seconds = time.perf_counter() - started
    count = Subpoena.objects.count()
    print(
        f"  issued {count} subpoenas for {len(hearing_ids)} hearings, each with its outbox row and journal entry, "
        f"in {seconds:.1f} s: {count / seconds:.0f} subpoenas/s"
    )

    phones = list(codes)
    runs = min(args.summons_checks, len(phones))

    def right(index: int) -> None:
        actions.open_subpoena(phone=phones[index], code=codes[phones[index]])

    def refused(phone: str, code: str) -> None:
        try:
            actions.open_subpoena(phone=phone, code=code)
        except DomainError:
            return
        raise SystemExit("bench: a wrong code opened a subpoena")

    def wrong_code(index: int) -> None:
        refused(phones[-1 - index], "000000" if codes[phones[-1 - index]] != "000000" else "111111")

    def unknown_phone(index: int) -> None:
        refused(f"+7705{index:07d}", "123456")

    with clock.frozen_at(clock.now()):
        print(_line(f"right code ({runs} checks, first view journaled)", _timed(runs, right)))
        print(_line(f"wrong code ({runs})", _timed(runs, wrong_code)))
        print(_line(f"unknown phone ({runs})", _timed(runs, unknown_phone)))
    CodeAttempt.objects.all().delete()

    subpoenas = list(Subpoena.objects.select_related("court", "case", "person")[: args.summons_pdfs])
    made = _timed(len(subpoenas), lambda i: actions.sealed_pdf(subpoena=subpoenas[i]))
    print(_line(f"subpoena PDF made and sealed (PAdES B-B), {len(subpoenas)}", made))
    again = _timed(len(subpoenas), lambda i: actions.sealed_pdf(subpoena=subpoenas[i]))
    print(_line("the same PDFs served again from the file store", again))

    first = Subpoena.objects.order_by("issued_at").values_list("issued_at", flat=True).first()
    assert first is not None  # noqa: S101 - subpoenas were issued
    end = first.date()
    stats = _timed(20, lambda _i: queries.statistics(court_ids=None, start=end - dt.timedelta(days=29), end=end))
    print(_line(f"statistics of 30 days over {count} subpoenas (country, per court, per day), 20 runs", stats))


def run(args: argparse.Namespace) -> None:
    argv = ["--summons-hearings", str(args.summons_hearings)]
    argv += ["--summons-checks", str(args.summons_checks), "--summons-pdfs", str(args.summons_pdfs)]
    database.measured_apart(
        "summons", "Summons: subpoenas issued, codes checked, PDFs sealed, statistics", argv, lambda: _measure(args)
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.summons", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
