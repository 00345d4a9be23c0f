"""The invariants the actions keep, checked on cases written in bulk (the national set, the demo's court
day): one place for the checks both sets must pass."""

from collections import Counter, defaultdict
from collections.abc import Iterable

from torelik.cases.case_numbers import format_case_number
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseNumberCounter
from torelik.distribution.models import Draw


def assert_gap_free_numbers() -> None:
    """Every case's number is formatted from its parts; per court, year and type the sequences run 1..n
    with no gap, and the registry's counter stands at n."""
    series: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for case in Case.objects.select_related("court"):
        series[(case.court_id, case.year, case.type_code)].append(case.sequence)
        assert case.number == format_case_number(
            court_code=case.court.code, year=case.year, type_code=case.type_code, sequence=case.sequence
        )
    counters = {(c.court_id, c.year, c.type_code): c.last for c in CaseNumberCounter.objects.all()}
    for key, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
        assert counters[key] == len(numbers)


def assert_one_draw_per_attempt() -> None:
    assert set(Counter(Draw.objects.values_list("case_id", "attempt")).values()) == {1}


def assert_journals_in_order(cases: Iterable[Case]) -> dict[Case, list[CaseEvent]]:
    """Each case's journal opens with the registration and runs forward in time; the journals, by case."""
    journals: dict[Case, list[CaseEvent]] = {}
    for case in cases:
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        assert events[0].kind == CaseEventKind.REGISTERED
        assert [e.occurred_at for e in events] == sorted(e.occurred_at for e in events)
        journals[case] = events
    return journals
