"""The helpline's writes through their effects: calls registered and routed with their term, parties
identified by a code to their phone on record, lookups recorded, answers sent through the outbox."""

import datetime as dt

import pytest

from torelik.cases.models import AccessKind, CaseAccess, CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.hearings.tests.factories import NOW, case_in
from torelik.helpline import access, actions, queries
from torelik.helpline.models import CallChannel, CallStatus, Routing
from torelik.helpline.tests.factories import PARTY_IIN, PARTY_PHONE, last_code, world
from torelik.notifications.models import Message

pytestmark = pytest.mark.django_db


def _input(**overrides: str | bool) -> actions.CallInput:
    values = {
        "channel": CallChannel.LANDLINE,
        "language": "ru",
        "category": "improper_notice",
        "question": "Не извещён",
    }
    return actions.CallInput(**{**values, **overrides})  # type: ignore[arg-type]


def test_a_complaint_about_improper_notice_lands_in_the_chairmans_queue_with_its_term() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(
            operator=w.operator, data=_input(case_number=w.case.number, caller_phone=PARTY_PHONE)
        )
    assert call.status == CallStatus.ROUTED
    assert call.routing == Routing.COURT
    assert call.routed_to == w.court.court
    # 15 working days after Tuesday 1 December 2026, Independence Day (16 December) skipped.
    assert call.due_on == dt.date(2026, 12, 23)
    assert call.number.startswith("1401-26-")
    assert list(access.answerable_by(w.chairman)) == [call]
    assert not access.answerable_by(w.operator).exists()


def test_an_inquiry_answered_during_the_call_is_not_routed() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(
            operator=w.operator, data=_input(category="hearing_time", court="0215", answer_now="В 10:00, зал 101")
        )
    assert call.status == CallStatus.ANSWERED_AT_ONCE
    assert call.due_on is None


def test_bad_input_is_refused_with_a_clear_error() -> None:
    w = world()
    with clock.frozen_at(NOW), pytest.raises(DomainError) as iin:
        actions.register_call(operator=w.operator, data=_input(caller_iin="871008401428", court="0215"))
    assert "caller_iin" in iin.value.fields
    with clock.frozen_at(NOW), pytest.raises(DomainError) as case:
        actions.register_call(operator=w.operator, data=_input(case_number="9999-26-00-2/1"))
    assert case.value.code == "case_not_found"
    with clock.frozen_at(NOW), pytest.raises(DomainError) as court:
        actions.register_call(operator=w.operator, data=_input(court="7777"))
    assert court.value.code == "court_not_found"
    with clock.frozen_at(NOW), pytest.raises(DomainError) as forbidden:
        actions.register_call(operator=w.chairman, data=_input(court="0215"))
    assert forbidden.value.http_status == 403


def test_a_party_identified_by_the_code_sees_status_and_terms_and_an_anonymous_caller_public_facts() -> None:
    w = world()
    with clock.frozen_at(NOW):
        anonymous = queries.case_answer(w.case, person_id=None)
        assert anonymous.next_hearing is not None
        assert not anonymous.identified
        assert anonymous.status == ""
        actions.send_identification_code(operator=w.operator, iin=PARTY_IIN)
        code = last_code(PARTY_PHONE)
        with pytest.raises(DomainError):
            actions.confirm_identification(
                operator=w.operator, iin=PARTY_IIN, code="000000" if code != "000000" else "111111"
            )
        person = actions.confirm_identification(operator=w.operator, iin=PARTY_IIN, code=code)
        answer = queries.case_answer(w.case, person_id=person.pk)
        assert answer.identified
        assert answer.status
        assert answer.judge
        # A code is used once.
        with pytest.raises(DomainError):
            actions.confirm_identification(operator=w.operator, iin=PARTY_IIN, code=code)


def test_codes_are_limited_per_phone() -> None:
    w = world()
    with clock.frozen_at(NOW):
        for _ in range(actions.CODES_PER_PHONE_PER_HOUR):
            actions.send_identification_code(operator=w.operator, iin=PARTY_IIN)
        with pytest.raises(DomainError) as refused:
            actions.send_identification_code(operator=w.operator, iin=PARTY_IIN)
    assert refused.value.http_status == 429


def test_a_lookup_is_recorded_as_a_staff_opening_of_the_case() -> None:
    w = world()
    with clock.frozen_at(NOW):
        actions.record_lookup(operator=w.operator, case=w.case)
    assert CaseAccess.objects.filter(case=w.case, user=w.operator, kind=AccessKind.CASE_OPENED).count() == 1


def test_the_chairmans_answer_goes_to_the_caller_by_sms_in_their_language() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(
            operator=w.operator, data=_input(case_number=w.case.number, caller_phone=PARTY_PHONE)
        )
        with pytest.raises(DomainError):
            actions.answer_call(user=w.operator, call=call, answer="—")
        answered = actions.answer_call(user=w.chairman, call=call, answer="Повестка направлена повторно.")
    assert answered.status == CallStatus.ANSWERED
    message = Message.objects.get(cause=f"helpline-answer:{call.public_id}")
    assert message.language == "ru"
    assert call.number in message.text
    assert f"/ru/helpline/follow/?number={call.number}" in message.text
    followed = actions.follow_request(number=call.number, phone=PARTY_PHONE, ip_address="10.0.0.1")
    assert followed.answer == "Повестка направлена повторно."


def test_a_report_of_corruption_is_never_visible_to_the_court_complained_about() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(operator=w.operator, data=_input(category="corruption", court="0215"))
    assert call.routing == Routing.CORRUPTION
    assert call.routed_to == w.supreme
    assert not access.visible_to(w.chairman).filter(pk=call.pk).exists()
    assert not access.visible_to(w.operator).filter(pk=call.pk).exists()


def test_a_web_request_is_filed_once_its_phone_code_is_typed_back() -> None:
    w = world()
    with clock.frozen_at(NOW):
        pending = actions.start_web_request(
            data=_input(channel=CallChannel.WEB_FORM, court=w.court.court.code, caller_phone="+77051112233"),
            ip_address="127.0.0.1",
        )
        call = actions.confirm_web_request(code_id=pending.pk, code=last_code("+77051112233"), ip_address="127.0.0.1")
    assert call.channel == CallChannel.WEB_FORM
    assert call.operator is None
    assert queries.followed_call(call.number, "+77051112233") == call
    assert queries.followed_call(call.number, "+77051112234") is None


def test_daily_figures_count_calls_by_category_and_channel() -> None:
    w = world()
    with clock.frozen_at(NOW):
        actions.register_call(operator=w.operator, data=_input(court="0215"))
        actions.register_call(operator=w.operator, data=_input(court="0215", channel=CallChannel.MOBILE))
    figures = queries.daily_figures(start=NOW.date() - dt.timedelta(days=1), end=NOW.date())
    assert [d.calls for d in figures] == [0, 2]
    assert figures[1].by_channel == {"landline": 1, "mobile": 1}
    assert figures[1].by_category == {"improper_notice": 2}


def test_a_caller_identified_as_a_party_learns_nothing_more_of_a_case_they_are_not_party_to() -> None:
    w = world()
    other = case_in(w.court)
    with clock.frozen_at(NOW):
        answer = queries.case_answer(other, person_id=w.party.pk)
    assert not answer.identified
    assert answer.status == ""
    assert answer.terms == []


def test_a_caller_without_phone_or_e_mail_is_called_back_by_the_operator() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(operator=w.operator, data=_input(court="0215"))
        answered = actions.answer_call(user=w.chairman, call=call, answer="Ответ.")
        assert answered.status == CallStatus.CALL_BACK
        closed = actions.close_call_back(operator=w.operator, call=answered)
    assert closed.status == CallStatus.CLOSED


def test_the_register_is_searched_by_number_iin_phone_case_and_name() -> None:
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(
            operator=w.operator,
            data=_input(
                case_number=w.case.number, caller_iin=PARTY_IIN, caller_phone="8 701 123 45 67", caller_name="Айгуль"
            ),
        )
        actions.register_call(operator=w.operator, data=_input(court="0215"))
    for q in (call.number, PARTY_IIN, "+7 701 123-45-67", w.case.number, "Айгуль"):
        assert list(queries.search_calls(access.visible_to(w.operator), q=q)) == [call], q


def test_a_complaint_about_a_case_joins_its_journal_only_with_consent_and_never_a_corruption_report() -> None:
    w = world()
    with clock.frozen_at(NOW):
        silent = actions.register_call(operator=w.operator, data=_input(case_number=w.case.number))
        noted = actions.register_call(
            operator=w.operator, data=_input(case_number=w.case.number, caller_phone=PARTY_PHONE, journal_consent=True)
        )
        actions.register_call(
            operator=w.operator, data=_input(category="corruption", case_number=w.case.number, journal_consent=True)
        )
        actions.answer_call(user=w.chairman, call=noted, answer="Проверено.")
        actions.answer_call(user=w.chairman, call=silent, answer="Проверено.")
    journal = list(CaseEvent.objects.filter(case=w.case).values_list("kind", "data"))
    assert journal == [
        (CaseEventKind.HELPLINE_COMPLAINT, {"request": noted.number, "category": "improper_notice"}),
        (CaseEventKind.HELPLINE_ANSWERED, {"request": noted.number, "category": "improper_notice"}),
    ]


def test_following_requests_by_guessing_is_locked_per_address(settings: pytest.FixtureRequest) -> None:
    settings.TORELIK_CODE_ADDRESS_ATTEMPTS = 3  # type: ignore[attr-defined]
    w = world()
    with clock.frozen_at(NOW):
        call = actions.register_call(operator=w.operator, data=_input(court="0215", caller_phone=PARTY_PHONE))
        assert actions.follow_request(number=call.number, phone="8 701 123 45 67", ip_address="10.0.0.9") == call
        statuses = []
        for _ in range(3):
            with pytest.raises(DomainError) as miss:
                actions.follow_request(number=call.number, phone="+77010000000", ip_address="10.0.0.9")
            statuses.append(miss.value.http_status)
        assert statuses == [404, 404, 429]  # the third miss uses up the address's tries
        with pytest.raises(DomainError) as locked:
            actions.follow_request(number=call.number, phone=PARTY_PHONE, ip_address="10.0.0.9")
    assert locked.value.http_status == 429
