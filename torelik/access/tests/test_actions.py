"""The entrance desk's rules, at a fixed moment (Wednesday 2 December 2026, 09:30 in Almaty): a visitor
summoned to today's hearing is registered by IIN with the courtroom and time; others state a purpose;
an invalid IIN is refused; a banned person is held, never let in silently; passages in and out by pass
and badge, with double entries and exits without entry refused and still recorded."""

import datetime as dt

import pytest

from torelik.access import actions, queries
from torelik.access.errors import AccessConflictError, AccessError, AccessForbiddenError, AccessNotFoundError
from torelik.access.models import Passage, Purpose, Visit, VisitKind, VisitStatus
from torelik.access.tests.factories import (
    BADGE,
    BANNED_IIN,
    INVALID_IIN,
    MORNING,
    PARTY_IIN,
    STRANGER_IIN,
    WITNESS_IIN,
    building,
)
from torelik.core import clock
from torelik.summons.models import Subpoena

pytestmark = pytest.mark.django_db


def test_a_party_summoned_today_is_registered_by_iin_with_courtroom_and_time() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        summoned = queries.hearings_today(court=b.court.court, iin=PARTY_IIN, day=queries.local_day(b.court.court))
        registration = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN)
    assert [(s.courtroom, s.starts_at.strftime("%H:%M"), s.role) for s in summoned] == [("101", "10:00", "party")]
    subpoena = Subpoena.objects.get(hearing=b.hearing, person=b.party)
    assert summoned[0].subpoena == subpoena.number
    visit = registration.visit
    assert (visit.purpose, visit.courtroom, visit.hearing_id, visit.status) == (
        Purpose.HEARING, "101", b.hearing.pk, VisitStatus.REGISTERED,
    )  # fmt: skip
    assert visit.full_name == "Сейткалиева Айгуль"
    assert visit.day == dt.date(2026, 12, 2)
    assert len(registration.pass_code) == 8
    assert registration.pass_code not in visit.pass_hash  # only a keyed hash is kept


def test_a_witness_is_shown_as_a_witness() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        summoned = queries.hearings_today(court=b.court.court, iin=WITNESS_IIN, day=dt.date(2026, 12, 2))
    assert [(s.courtroom, s.role) for s in summoned] == [("101", "witness")]


def test_yesterdays_summons_does_not_count_today() -> None:
    b = building()
    with clock.frozen_at(MORNING + dt.timedelta(days=1)), pytest.raises(AccessError) as refused:
        actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN, purpose=Purpose.HEARING)
    assert "purpose" in refused.value.fields


def test_a_visitor_without_a_hearing_states_a_purpose() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        with pytest.raises(AccessError) as refused:
            actions.register_visitor(entrance=b.main, officer=b.officer, iin=STRANGER_IIN, full_name="Иванов Иван")
        assert "purpose" in refused.value.fields
        with pytest.raises(AccessError) as no_text:
            actions.register_visitor(
                entrance=b.main, officer=b.officer, iin=STRANGER_IIN, full_name="Иванов Иван", purpose=Purpose.OTHER
            )
        assert "purpose_text" in no_text.value.fields
        visit = actions.register_visitor(
            entrance=b.main, officer=b.officer, iin=STRANGER_IIN, full_name="Иванов Иван", purpose=Purpose.ARCHIVE
        ).visit
    assert (visit.purpose, visit.courtroom, visit.status) == (Purpose.ARCHIVE, "", VisitStatus.REGISTERED)


def test_a_foreigner_is_registered_by_document_and_country() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        with pytest.raises(AccessError) as refused:
            actions.register_visitor(
                entrance=b.main, officer=b.officer, document_number="AA1234567", document_country="Uzbekistan",
                full_name="Karimov Aziz", purpose=Purpose.OFFICE,
            )  # fmt: skip
        assert "document_country" in refused.value.fields
        visit = actions.register_visitor(
            entrance=b.main, officer=b.officer, document_number="AA1234567", document_country="uz",
            full_name="Karimov Aziz", purpose=Purpose.OFFICE,
        ).visit  # fmt: skip
    assert (visit.iin, visit.document_number, visit.document_country) == ("", "AA1234567", "UZ")


def test_an_invalid_iin_is_refused_by_its_check_digit_and_nothing_is_written() -> None:
    b = building()
    with clock.frozen_at(MORNING), pytest.raises(AccessError) as refused:
        actions.register_visitor(entrance=b.main, officer=b.officer, iin=INVALID_IIN, purpose=Purpose.OFFICE)
    assert refused.value.fields["iin"]
    assert refused.value.http_status == 400
    assert not Visit.objects.exists()


def test_a_banned_person_is_held_for_security_and_the_turnstile_refuses_them() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        ban = actions.add_ban(
            court=b.court.court, officer=b.security, iin=BANNED_IIN, full_name="Нарушитель Порядка",
            reason="Нарушение порядка в зале 12.11.2026", starts_on=dt.date(2026, 11, 12), ends_on=dt.date(2027, 5, 12),
        )  # fmt: skip
        registration = actions.register_visitor(
            entrance=b.main, officer=b.officer, iin=BANNED_IIN, full_name="Нарушитель Порядка", purpose=Purpose.OFFICE
        )
        assert registration.pass_code == ""
        assert registration.visit.status == VisitStatus.HELD
        assert registration.visit.ban == ban
        assert list(queries.held(b.court.court)) == [registration.visit]
        refused = actions.decide_held(visit=registration.visit, officer=b.security, admit=False)
    assert refused.visit.status == VisitStatus.REFUSED


def test_a_lifted_or_expired_ban_no_longer_holds() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        actions.add_ban(
            court=b.court.court, officer=b.security, iin=BANNED_IIN, full_name="Х", reason="r",
            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 1),
        )  # fmt: skip
        visit = actions.register_visitor(
            entrance=b.main, officer=b.officer, iin=BANNED_IIN, full_name="Х", purpose=Purpose.OFFICE
        ).visit
    assert visit.status == VisitStatus.REGISTERED


def test_security_may_admit_a_held_visitor_with_a_pass() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        actions.add_ban(
            court=b.court.court, officer=b.security, iin=PARTY_IIN, full_name="С", reason="r",
            starts_on=dt.date(2026, 11, 1), ends_on=None,
        )  # fmt: skip
        held = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).visit
        with pytest.raises(AccessForbiddenError):
            actions.record_passage(entrance=b.main, direction="in", visit=held, officer=b.officer)
        admitted = actions.decide_held(visit=held, officer=b.security, admit=True)
        visit = actions.record_passage(entrance=b.main, direction="in", pass_code=admitted.pass_code)
    assert visit.status == VisitStatus.INSIDE
    assert visit.courtroom == "101"  # still let in for the hearing, with the ban on record
    assert visit.decided_by == b.security


def test_in_and_out_by_pass_with_double_entry_and_exit_without_entry_refused_and_kept() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
        with pytest.raises(AccessConflictError) as not_in:
            actions.record_passage(entrance=b.main, direction="out", pass_code=code, device=b.device)
        assert not_in.value.code == "not_inside"
        actions.record_passage(entrance=b.main, direction="in", pass_code=code.lower(), device=b.device)
        with pytest.raises(AccessConflictError) as twice:
            actions.record_passage(entrance=b.main, direction="in", pass_code=code, device=b.device)
        assert twice.value.code == "already_inside"
    with clock.frozen_at(MORNING + dt.timedelta(hours=2)):
        visit = actions.record_passage(entrance=b.main, direction="out", pass_code=code, device=b.device)
    assert visit.status == VisitStatus.LEFT
    assert (visit.entered_at, visit.left_at) == (MORNING, MORNING + dt.timedelta(hours=2))
    kept = list(Passage.objects.order_by("id").values_list("direction", "allowed", "reason"))
    assert kept == [("out", False, "not_inside"), ("in", True, ""), ("in", False, "already_inside"), ("out", True, "")]


def test_staff_pass_by_badge_and_are_in_the_building_until_they_go_out() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        with pytest.raises(AccessConflictError):
            actions.record_passage(entrance=b.staff_door, direction="out", badge=BADGE)
        visit = actions.record_passage(entrance=b.staff_door, direction="in", badge=BADGE)
        assert visit.kind == VisitKind.STAFF
        assert list(queries.inside(b.court.court)) == [visit]
        with pytest.raises(AccessConflictError):
            actions.record_passage(entrance=b.main, direction="in", badge=BADGE)
        actions.record_passage(entrance=b.main, direction="out", badge=BADGE)
    assert not queries.inside(b.court.court).exists()


def test_an_unknown_badge_and_an_unknown_pass_are_refused_and_recorded() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        with pytest.raises(AccessNotFoundError) as badge:
            actions.record_passage(entrance=b.main, direction="in", badge="B-9999", device=b.device)
        with pytest.raises(AccessNotFoundError) as pass_:
            actions.record_passage(entrance=b.main, direction="in", pass_code="ZZZZZZZZ", device=b.device)
    assert (badge.value.code, pass_.value.code) == ("unknown_badge", "unknown_pass")
    assert list(Passage.objects.values_list("allowed", flat=True)) == [False, False]


def test_a_pass_of_yesterday_does_not_open_today() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
    with clock.frozen_at(MORNING + dt.timedelta(days=1)), pytest.raises(AccessForbiddenError) as refused:
        actions.record_passage(entrance=b.main, direction="in", pass_code=code)
    assert refused.value.code == "pass_not_today"


def test_registering_again_the_same_day_reissues_the_pass_and_inside_is_refused() -> None:
    b = building()
    with clock.frozen_at(MORNING):
        first = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN)
        second = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN)
        assert first.visit.pk == second.visit.pk
        with pytest.raises(AccessNotFoundError):
            actions.record_passage(entrance=b.main, direction="in", pass_code=first.pass_code)
        actions.record_passage(entrance=b.main, direction="in", pass_code=second.pass_code)
        with pytest.raises(AccessConflictError) as inside:
            actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN)
    assert inside.value.code == "already_inside"
    assert Visit.objects.count() == 1
