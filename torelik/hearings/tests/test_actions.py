"""Scheduling: refusals, double booking per kind of participant, postponement and the journal."""

import datetime as dt

import pytest

from torelik.cases.models import CaseEvent, CaseEventKind, CaseStatus
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.core.tokens import token_digest
from torelik.courts.models import Judge, StaffRole
from torelik.hearings.actions import (
    ParticipantInput,
    cancel_hearing,
    issue_calendar_feed,
    postpone_hearing,
    revoke_calendar_feed,
    schedule_hearing,
)
from torelik.hearings.errors import HearingConflictError, HearingError, HearingErrorCode, HearingForbiddenError
from torelik.hearings.models import Hearing, HearingStatus, ParticipantRole
from torelik.hearings.queries import feed_owner, hearings_of
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


def test_scheduling_journals_and_moves_an_accepted_case_to_scheduled(court: Court_) -> None:
    case = case_in(court)
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.SCHEDULED
    assert hearing.judge == court.judge
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert CaseEventKind.HEARING_SCHEDULED in kinds
    assert CaseEventKind.STATUS_CHANGED in kinds


def test_a_decided_case_keeps_its_status(court: Court_) -> None:
    case = case_in(court, status=CaseStatus.DECIDED)
    with clock.frozen_at(NOW):
        schedule_hearing(case=case, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(8, 30), at(9, 30), HearingErrorCode.OUTSIDE_WORKING_HOURS),
        (at(18, 0), at(19, 0), HearingErrorCode.OUTSIDE_WORKING_HOURS),
        (at(10, day=dt.date(2026, 12, 5)), at(11, day=dt.date(2026, 12, 5)), HearingErrorCode.OUTSIDE_WORKING_HOURS),
        # Independence Day, Wednesday 16 December 2026: a public holiday (holidays.KZ).
        (at(10, day=dt.date(2026, 12, 16)), at(11, day=dt.date(2026, 12, 16)), HearingErrorCode.OUTSIDE_WORKING_HOURS),
        (at(11), at(10), HearingErrorCode.END_BEFORE_START),
        (at(10, day=dt.date(2026, 11, 30)), at(11, day=dt.date(2026, 11, 30)), HearingErrorCode.IN_THE_PAST),
    ],
)
def test_refuses_bad_times(court: Court_, start: dt.datetime, end: dt.datetime, code: str) -> None:
    case = case_in(court)
    with clock.frozen_at(NOW), pytest.raises(HearingError) as caught:
        schedule_hearing(case=case, courtroom=court.room, starts_at=start, ends_at=end, actor=court.secretary)
    assert caught.value.code == code
    assert not Hearing.objects.exists()


def test_the_last_slot_ends_at_half_past_six(court: Court_) -> None:
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(17, 30), ends_at=at(18, 30), actor=court.secretary
        )
    assert hearing.status == HearingStatus.SCHEDULED


def test_refuses_a_courtroom_of_another_court(court: Court_) -> None:
    elsewhere = court_with_staff("0216")
    with clock.frozen_at(NOW), pytest.raises(HearingError) as caught:
        schedule_hearing(
            case=case_in(court), courtroom=elsewhere.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
    assert caught.value.code == HearingErrorCode.COURTROOM_OF_ANOTHER_COURT


def test_only_staff_of_the_court_schedule(court: Court_) -> None:
    elsewhere = court_with_staff("0216")
    with clock.frozen_at(NOW), pytest.raises(HearingForbiddenError):
        schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=elsewhere.clerk
        )


def test_courtroom_double_booking_names_the_hearing(court: Court_) -> None:
    first = case_in(court)
    other_judge_case = case_in(court, judge=court_with_staff_judge(court))
    with clock.frozen_at(NOW):
        schedule_hearing(case=first, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary)
        with pytest.raises(HearingConflictError) as caught:
            schedule_hearing(
                case=other_judge_case, courtroom=court.room, starts_at=at(10, 30), ends_at=at(11, 30), actor=None
            )
    assert caught.value.code == HearingErrorCode.CONFLICT
    assert first.number in caught.value.message
    assert "courtroom" in caught.value.fields


def court_with_staff_judge(court: Court_) -> Judge:
    return Judge.objects.create(person=person("Жумабаев"), court=court.court)


def test_judge_double_booking_in_another_courtroom(court: Court_) -> None:
    first = case_in(court)
    with clock.frozen_at(NOW):
        schedule_hearing(case=first, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary)
        with pytest.raises(HearingConflictError) as caught:
            schedule_hearing(
                case=case_in(court), courtroom=court.other_room, starts_at=at(10), ends_at=at(12), actor=court.secretary
            )
    assert "judge" in caught.value.fields
    assert first.number in caught.value.message


def test_back_to_back_hearings_do_not_conflict(court: Court_) -> None:
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
        second = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(11), ends_at=at(12), actor=court.secretary
        )
    assert second.pk is not None


def test_secretary_double_booking(court: Court_) -> None:
    other = court_with_staff_judge(court)
    first = case_in(court)
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=first,
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            secretary=court.secretary,
        )
        with pytest.raises(HearingConflictError) as caught:
            schedule_hearing(
                case=case_in(court, judge=other),
                courtroom=court.other_room,
                starts_at=at(10),
                ends_at=at(11),
                actor=None,
                secretary=court.secretary,
            )
    assert "secretary" in caught.value.fields
    assert first.number in caught.value.message


@pytest.mark.parametrize("role", [ParticipantRole.PROSECUTOR, ParticipantRole.LAWYER])
def test_prosecutor_and_lawyer_double_booking_across_courts(court: Court_, role: str) -> None:
    elsewhere = court_with_staff("0216")
    busy = person("Омаров")
    first = case_in(court)
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=first,
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            participants=[ParticipantInput(role=role, person=busy)],
        )
        with pytest.raises(HearingConflictError) as caught:
            schedule_hearing(
                case=case_in(elsewhere),
                courtroom=elsewhere.room,
                starts_at=at(10, 30),
                ends_at=at(11, 30),
                actor=elsewhere.secretary,
                participants=[ParticipantInput(role=ParticipantRole.LAWYER, person=busy)],
            )
    assert "participants" in caught.value.fields
    assert first.number in caught.value.message


def test_a_witness_may_be_called_to_two_hearings(court: Court_) -> None:
    elsewhere = court_with_staff("0216")
    witness = person("Ким")
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=case_in(court),
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.WITNESS, person=witness)],
        )
        second = schedule_hearing(
            case=case_in(elsewhere),
            courtroom=elsewhere.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=elsewhere.secretary,
            participants=[ParticipantInput(role=ParticipantRole.WITNESS, person=witness)],
        )
    assert second.participants.count() == 1


def test_postponing_frees_the_slot_and_schedules_the_next(court: Court_) -> None:
    case = case_in(court)
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
        following = postpone_hearing(
            hearing=hearing,
            reason="неявка ответчика",
            actor=court.secretary,
            starts_at=at(10, day=dt.date(2026, 12, 3)),
            ends_at=at(11, day=dt.date(2026, 12, 3)),
        )
        # The freed slot takes another hearing.
        schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.POSTPONED
    assert hearing.reason == "неявка ответчика"
    assert following is not None
    assert following.starts_at == at(10, day=dt.date(2026, 12, 3))
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.HEARING_POSTPONED)
    assert event.data["reason"] == "неявка ответчика"


def test_cancelling_needs_a_reason(court: Court_) -> None:
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )
        with pytest.raises(HearingError) as caught:
            cancel_hearing(hearing=hearing, reason="  ", actor=court.secretary)
        assert caught.value.code == HearingErrorCode.REASON_REQUIRED
        cancel_hearing(hearing=hearing, reason="иск отозван", actor=court.secretary)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.CANCELLED
    assert CaseEvent.objects.filter(case=hearing.case, kind=CaseEventKind.HEARING_CANCELLED).count() == 1


def test_a_calendar_holds_hearings_as_judge_secretary_and_participant(court: Court_) -> None:
    lawyer = person("Нурланова")
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case_in(court),
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            secretary=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.LAWYER, person=lawyer)],
        )
    lawyer_user = type(court.clerk).objects.create_user(username="lawyer", password="x-long-pass-1", person=lawyer)
    assert list(hearings_of(court.judge_user)) == [hearing]
    assert list(hearings_of(court.secretary)) == [hearing]
    assert list(hearings_of(lawyer_user)) == [hearing]
    assert list(hearings_of(court.clerk)) == []


def test_a_feed_token_is_stored_hashed_and_revocable(court: Court_) -> None:
    token = issue_calendar_feed(user=court.judge_user)
    assert len(token) >= 40
    assert feed_owner(token_digest(token)) == court.judge_user
    replacement = issue_calendar_feed(user=court.judge_user)
    assert feed_owner(token_digest(token)) is None
    revoke_calendar_feed(user=court.judge_user)
    assert feed_owner(token_digest(replacement)) is None


# --- Who schedules (ГПК РК: the judge who took the case, once it is accepted) ---------------------


def test_the_case_judge_and_an_assistant_working_for_that_judge_schedule(court: Court_) -> None:
    assistant = staff_user("assistant.0215", court.court, StaffRole.ASSISTANT)
    assistant.positions.update(judge=court.judge)
    with clock.frozen_at(NOW):
        by_judge = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.judge_user
        )
        by_assistant = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(11), ends_at=at(12), actor=assistant
        )
    assert by_judge.judge == court.judge
    assert by_assistant.judge == court.judge


def test_another_judge_of_the_same_court_cannot_schedule(court: Court_) -> None:
    colleague = staff_user("judge.colleague", court.court, StaffRole.JUDGE)
    assert colleague.person is not None
    Judge.objects.create(person=colleague.person, court=court.court)
    case = case_in(court)
    with clock.frozen_at(NOW), pytest.raises(HearingForbiddenError) as caught:
        schedule_hearing(case=case, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=colleague)
    assert caught.value.code == HearingErrorCode.NOT_JUDGE_OF_CASE
    assert not Hearing.objects.filter(case=case).exists()


@pytest.mark.parametrize("role", [StaffRole.SECRETARY, StaffRole.CLERK, StaffRole.CHAIRMAN])
def test_staff_not_working_for_the_judge_cannot_schedule(court: Court_, role: StaffRole) -> None:
    other = staff_user(f"{role}.other", court.court, role)
    with clock.frozen_at(NOW), pytest.raises(HearingForbiddenError):
        schedule_hearing(case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=other)


@pytest.mark.parametrize("status", [CaseStatus.REGISTERED, CaseStatus.ASSIGNED, CaseStatus.LEFT_WITHOUT_MOTION])
def test_a_case_not_yet_accepted_gets_no_hearing(court: Court_, status: str) -> None:
    case = case_in(court, status=status)
    with clock.frozen_at(NOW), pytest.raises(HearingError) as caught:
        schedule_hearing(case=case, courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.judge_user)
    assert caught.value.code == HearingErrorCode.CASE_NOT_ACCEPTED
