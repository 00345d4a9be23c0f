"""The helpline (issue 26): registering a call with a case lookup (the case found by number, the lookup
recorded, the screen's answer, the call written with its term) and the operator's search by IIN across the
national data (the party's cases with the identified answer for each, and the register searched by IIN).
Targets: p95 under 100 ms each. In-process, on a database of its own dropped afterwards (a temporary SQLite
file, or a new database on the PostgreSQL server of DATABASE_URL). Run alone: `python -m bench.helpline`.
"""

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable, Sequence

from bench import database
from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("helpline")
    group.add_argument("--helpline-cases", type=int, default=20000, help="cases (two parties each)")
    group.add_argument("--helpline-calls", type=int, default=50000, help="calls already in the register")
    group.add_argument("--helpline-samples", type=int, default=300, help="operations measured per kind")


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    out = []
    for index in range(samples):
        started = time.perf_counter()
        call(index)
        out.append(time.perf_counter() - started)
    return sorted(out)


def _line(label: str, ordered: Sequence[float]) -> str:
    p95 = percentile(ordered, 95) * 1000
    return f"  {label}: p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {p95:.1f} ms (target p95 < 100 ms)"


def _fill(cases: int, calls: int) -> tuple[list[str], list[str]]:
    from django.utils import timezone

    from torelik.cases.models import Case, Party
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Judge
    from torelik.helpline.models import Call, Category
    from torelik.identity.models import Person

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    courts = list(Court.objects.order_by("code")[:200])
    judge = Judge.objects.create(
        person=Person.objects.create(iin="800101300000", surname="Судья", given_name="Бас"), court=courts[0]
    )
    people = Person.objects.bulk_create(
        [
            Person(iin=f"{900101300000 + n:012d}", surname="Тарап", given_name=str(n), phone=f"+7701{n:07d}")
            for n in range(2 * cases)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    rows = Case.objects.bulk_create(
        [
            Case(
                number=f"{courts[n % len(courts)].code}-27-00-2/{n}",
                court=courts[n % len(courts)],
                year=2027,
                type_code="2",
                sequence=n,
                proceeding_type="civil",
                category=category,
                judge=judge,
                status="accepted",
                registered_at=now,
            )
            for n in range(1, cases + 1)
        ],
        batch_size=2000,
    )
    Party.objects.bulk_create(
        [
            Party(case=case, role=role, person=people[2 * n + k], phone=people[2 * n + k].phone)
            for n, case in enumerate(rows)
            for k, role in enumerate(("claimant", "defendant"))
        ],
        batch_size=2000,
    )
    kinds = list(Category.objects.all())
    Call.objects.bulk_create(
        [
            Call(
                number=f"1401-27-{900000 + n:06d}",
                received_at=now - dt.timedelta(minutes=n),
                channel="landline",
                language="ru",
                caller_iin=people[n % len(people)].iin,
                caller_phone=people[n % len(people)].phone,
                category=kinds[n % len(kinds)],
                court=rows[n % len(rows)].court,
                case=rows[n % len(rows)],
                question="?",
                status="answered_at_once",
            )
            for n in range(calls)
        ],
        batch_size=2000,
    )
    return [case.number for case in rows], [person.iin for person in people]


def _measure(args: argparse.Namespace) -> None:
    from torelik.courts.models import Court, StaffRole
    from torelik.helpline import actions, queries
    from torelik.helpline.models import Call
    from torelik.identity.models import User

    started = time.perf_counter()
    numbers, iins = _fill(args.helpline_cases, args.helpline_calls)
    took = time.perf_counter() - started
    print(f"  filled {len(numbers)} cases, {len(iins)} parties, {args.helpline_calls} calls in {took:.1f} s")
    court = Court.objects.order_by("code").first()
    assert court is not None  # noqa: S101 - the registry is loaded
    operator = User.objects.create_user(username="operator", password="a-long-passphrase-1")  # noqa: S106
    operator.positions.create(court=court, role=StaffRole.CALL_CENTRE_OPERATOR)
    pick = random.Random(26)  # noqa: S311 - a benchmark's sample, not a secret

    def register(_index: int) -> None:
        number = pick.choice(numbers)
        case = queries.case_by_number(number)
        assert case is not None  # noqa: S101
        actions.record_lookup(operator=operator, case=case)
        queries.case_answer(case, person_id=None)
        actions.register_call(
            operator=operator,
            data=actions.CallInput(
                channel="landline", language="ru", category="improper_notice", question="?", case_number=number
            ),
        )

    def search(_index: int) -> None:
        person = queries.person_by_iin(pick.choice(iins))
        assert person is not None  # noqa: S101
        for case in queries.cases_of_person(person.pk):
            queries.case_answer(case, person_id=person.pk)

    def register_search(_index: int) -> None:
        list(queries.search_calls(Call.objects.all(), q=pick.choice(iins))[:50])

    register(0)
    print(_line("register a call with a case lookup", _timed(args.helpline_samples, register)))
    search(0)
    print(
        _line(
            "operator's search by IIN: the party's cases with the identified answer",
            _timed(args.helpline_samples, search),
        )
    )
    print(_line("the register searched by IIN", _timed(args.helpline_samples, register_search)))
    floor = _timed(args.helpline_samples, lambda _i: Court.objects.filter(code=court.code).exists() if court else None)
    print(_line("floor: one indexed query", floor))


def run(args: argparse.Namespace) -> None:
    argv = ["--helpline-cases", str(args.helpline_cases)]
    argv += ["--helpline-calls", str(args.helpline_calls), "--helpline-samples", str(args.helpline_samples)]
    database.measured_apart(
        "helpline",
        "Helpline: calls registered with a case lookup, the operator's search by IIN",
        argv,
        lambda: _measure(args),
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.helpline", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
