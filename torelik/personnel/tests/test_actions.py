"""The personnel actions through their effects: posts filled and vacated, the career journal, what the
distribution reads of a judge, absences written once for the draw, and the refusals."""

import datetime as dt

import pytest
from django.test import override_settings

from torelik.core import clock
from torelik.courts.models import AbsenceKind, Judge, JudgeAbsence, JudgeStandingChange
from torelik.courts.tests.factories import PersonFactory
from torelik.personnel.actions import appoint, establish_posts, record_absence, record_decision
from torelik.personnel.errors import PersonnelConflict, PersonnelError
from torelik.personnel.models import CareerEntry, CareerEntryKind, PostKind
from torelik.personnel.tests.factories import NOW, Office, office

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Office:
    return office()


def test_posts_are_numbered_after_the_existing_ones(world: Office) -> None:
    added = establish_posts(court=world.court, kind=PostKind.JUDGE, count=2, actor=None)
    assert [post.number for post in added] == [4, 5]


@pytest.mark.parametrize("count", [0, 201])
def test_posts_are_added_between_one_and_two_hundred_at_once(world: Office, count: int) -> None:
    with pytest.raises(PersonnelError) as refused:
        establish_posts(court=world.court, kind=PostKind.CLERK, count=count, actor=None)
    assert refused.value.code == "posts_count"


def test_a_new_judge_appointed_to_a_vacant_post_enters_the_distribution_with_a_journaled_standing(
    world: Office,
) -> None:
    person = PersonFactory.create()
    with clock.frozen_at(NOW):
        entry = appoint(
            person=person,
            post=world.post(PostKind.JUDGE, 3),
            effective_on=dt.date(2026, 3, 10),
            decree_number="1187",
            decree_date=dt.date(2026, 3, 2),
            term_ends_on=None,
            actor=world.officer,
        )
    assert entry.kind == CareerEntryKind.APPOINTMENT
    assert entry.recorded_at == NOW
    judge = Judge.objects.get(person=person)
    assert (judge.court, judge.is_active) == (world.court, True)
    change = JudgeStandingChange.objects.get(judge=judge)
    assert change.before["court"] is None
    assert change.after["court"] == world.court.pk
    assert world.post(PostKind.JUDGE, 3).holder == person


def test_an_appointment_to_a_filled_post_is_refused_and_nothing_changes(world: Office) -> None:
    person = PersonFactory.create()
    with pytest.raises(PersonnelConflict) as refused:
        appoint(
            person=person,
            post=world.post(PostKind.JUDGE, 1),
            effective_on=dt.date(2026, 3, 10),
            decree_number="1",
            decree_date=dt.date(2026, 3, 2),
            actor=None,
        )
    assert refused.value.code == "post_filled"
    assert refused.value.http_status == 409
    assert world.post(PostKind.JUDGE, 1).holder == world.judges[0].person
    assert not CareerEntry.objects.filter(person=person).exists()


def test_a_term_of_office_ending_before_it_begins_is_refused(world: Office) -> None:
    with pytest.raises(PersonnelError) as refused:
        appoint(
            person=PersonFactory.create(),
            post=world.post(PostKind.CHAIRMAN, 1),
            effective_on=dt.date(2026, 3, 10),
            decree_number="1",
            decree_date=dt.date(2026, 3, 2),
            term_ends_on=dt.date(2021, 3, 9),
            actor=None,
        )
    assert refused.value.code == "dates_reversed"
    assert "term_ends_on" in refused.value.fields


def test_a_transfer_vacates_the_old_post_and_moves_the_judge_to_the_new_court(world: Office) -> None:
    judge = world.judges[0]
    with clock.frozen_at(NOW):
        appoint(
            person=judge.person,
            post=world.post(PostKind.JUDGE, 1, court=world.other_court),
            kind=CareerEntryKind.TRANSFER,
            effective_on=dt.date(2026, 4, 1),
            decree_number="77",
            decree_date=dt.date(2026, 3, 1),
            actor=None,
        )
    judge.refresh_from_db()
    assert judge.court == world.other_court
    assert world.post(PostKind.JUDGE, 1).holder is None
    kinds = list(CareerEntry.objects.filter(person=judge.person).values_list("kind", flat=True))
    assert kinds == [CareerEntryKind.APPOINTMENT, CareerEntryKind.TRANSFER]


def test_a_dismissal_vacates_the_post_and_takes_the_judge_out_of_office(world: Office) -> None:
    judge = world.judges[1]
    with clock.frozen_at(NOW):
        record_decision(
            person=judge.person,
            kind=CareerEntryKind.DISMISSAL,
            effective_on=dt.date(2026, 3, 31),
            decree_number="210",
            decree_date=dt.date(2026, 3, 2),
            details="по собственному желанию",
            actor=None,
        )
    judge.refresh_from_db()
    assert not judge.is_active
    assert world.post(PostKind.JUDGE, 2).holder is None


def test_a_judges_absence_is_the_row_the_distribution_reads_recorded_at_the_clocks_moment(world: Office) -> None:
    judge = world.judges[0]
    with clock.frozen_at(NOW):
        absence = record_absence(
            person=judge.person,
            kind=AbsenceKind.TRAINING,
            starts_on=dt.date(2026, 3, 16),
            ends_on=dt.date(2026, 3, 20),
            actor=world.officer,
        )
    row = JudgeAbsence.objects.get(judge=judge)
    assert absence.judge_absence == row
    assert (row.starts_on, row.ends_on, row.recorded_at, row.kind) == (
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 20),
        NOW,
        AbsenceKind.TRAINING,
    )
    assert not absence.backdated
    assert CareerEntry.objects.get(absence=absence).kind == CareerEntryKind.ABSENCE


def test_an_absence_that_has_begun_is_allowed_and_flagged(world: Office) -> None:
    with clock.frozen_at(NOW):  # Tuesday: sick since Monday
        absence = record_absence(
            person=world.judges[0].person,
            kind=AbsenceKind.SICK,
            starts_on=dt.date(2026, 3, 2),
            ends_on=dt.date(2026, 3, 6),
            actor=None,
        )
    assert absence.backdated


def test_backdated_is_judged_on_the_courts_clock_not_the_servers(world: Office) -> None:
    # 20:30 UTC on Monday 2 March is already 01:30 on Tuesday 3 March in Almaty (UTC+5), the court's zone;
    # the server runs on UTC.
    late_evening = dt.datetime(2026, 3, 2, 20, 30, tzinfo=dt.UTC)
    with override_settings(TIME_ZONE="UTC"), clock.frozen_at(late_evening):
        today = record_absence(
            person=world.judges[0].person,
            kind=AbsenceKind.SICK,
            starts_on=dt.date(2026, 3, 3),
            ends_on=dt.date(2026, 3, 4),
            actor=None,
        )
        tomorrow = record_absence(
            person=world.judges[1].person,
            kind=AbsenceKind.SICK,
            starts_on=dt.date(2026, 3, 4),
            ends_on=dt.date(2026, 3, 5),
            actor=None,
        )
    assert today.backdated  # begun by the court's day; by the server's (UTC) day it had not
    assert not tomorrow.backdated
    assert world.court.region is not None
    assert world.court.region.time_zone == "Asia/Almaty"


def test_an_absence_overlapping_another_of_the_same_person_is_refused(world: Office) -> None:
    person = world.judges[0].person
    with clock.frozen_at(NOW):
        record_absence(
            person=person,
            kind=AbsenceKind.LEAVE,
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 4, 14),
            actor=None,
        )
        with pytest.raises(PersonnelConflict) as refused:
            record_absence(
                person=person,
                kind=AbsenceKind.TRAINING,
                starts_on=dt.date(2026, 4, 14),
                ends_on=dt.date(2026, 4, 16),
                actor=None,
            )
    assert refused.value.code == "absence_overlaps"
    assert JudgeAbsence.objects.filter(judge=world.judges[0]).count() == 1


def test_an_absence_with_its_dates_reversed_is_refused(world: Office) -> None:
    with pytest.raises(PersonnelError) as refused:
        record_absence(
            person=world.judges[0].person,
            kind=AbsenceKind.LEAVE,
            starts_on=dt.date(2026, 4, 14),
            ends_on=dt.date(2026, 4, 1),
            actor=None,
        )
    assert refused.value.code == "dates_reversed"
    assert not JudgeAbsence.objects.exists()


def test_a_career_entry_is_never_altered(world: Office) -> None:
    entry = CareerEntry.objects.filter(person=world.judges[0].person).get()
    entry.decree_number = "999"
    with pytest.raises(ValueError, match="never altered"):
        entry.save()
