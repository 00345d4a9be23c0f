"""Demo cases: registered through the case-file actions, so they obey the same rules as real ones."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.cases.case_numbers import CASE_NUMBER
from torelik.cases.demo import PLACEHOLDER_ASSIGNMENT, demo_cases_exist, seed_demo_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseLink, CaseStatus, Party
from torelik.cases.statuses import can_move
from torelik.core.identifiers import BIN, IIN

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


def test_demo_cases_obey_the_rules_of_real_ones() -> None:
    # One test, in its own rolled-back transaction: the journal cannot be deleted afterwards.
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    summary = seed_demo_cases(count=150, until=UNTIL, processes=0)
    assert summary.cases >= 150
    assert len(summary.by_status) >= 10
    _numbers_follow_the_national_pattern_and_are_unique()
    _every_journal_starts_with_registration_and_moves_only_by_the_transitions()
    _demo_assignments_say_they_are_not_a_draw()
    _parties_carry_valid_identifiers_and_appeals_point_to_the_first_instance()
    _seeding_again_adds_nothing()


def _numbers_follow_the_national_pattern_and_are_unique() -> None:
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) >= 150
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert CASE_NUMBER.match(number), number
        assert number.split("-")[1] in {"25", "26"}


def _every_journal_starts_with_registration_and_moves_only_by_the_transitions() -> None:
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda event: event.pk)
        assert events[0].kind == CaseEventKind.REGISTERED
        status = CaseStatus.REGISTERED
        for event in events:
            if event.kind == CaseEventKind.STATUS_CHANGED:
                assert event.data["from"] == status
                assert can_move(status, event.data["to"]), (case.number, status, event.data["to"])
                status = event.data["to"]
        assert status == case.status
        assert all(e.occurred_at <= UNTIL for e in events)


def _demo_assignments_say_they_are_not_a_draw() -> None:
    assignments = CaseEvent.objects.filter(kind=CaseEventKind.ASSIGNED)
    assert assignments.exists()
    assert all(event.data["method"] == PLACEHOLDER_ASSIGNMENT["method"] for event in assignments)
    assert demo_cases_exist()


def _parties_carry_valid_identifiers_and_appeals_point_to_the_first_instance() -> None:
    for party in Party.objects.select_related("person", "organisation"):
        if party.person is not None:
            IIN.parse(party.person.iin)
        else:
            assert party.organisation is not None
            BIN.parse(party.organisation.bin)
    for link in CaseLink.objects.select_related("from_case", "to_case"):
        assert link.from_case.instance != link.to_case.instance


def _seeding_again_adds_nothing() -> None:
    before = Case.objects.count()
    assert seed_demo_cases(count=150, until=UNTIL, processes=0).cases == 0
    assert Case.objects.count() == before
