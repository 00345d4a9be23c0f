"""Studying the documents of a case with the SMS login: given to the defendant (and to a paper
claimant who agreed) when the claim is registered, refused with the same lockout, every opening noted."""

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from torelik.cases.models import CaseEvent, CaseEventKind, PartyRole
from torelik.cases.tests.factories import (
    DEFENDANT_IIN,
    CourtOffice,
)
from torelik.core import clock
from torelik.identity.models import Person
from torelik.notifications.models import Message
from torelik.summons.actions import document_access, log_in_to_documents, record_document_opening
from torelik.summons.errors import CodeExpiredError, LockedError, SummonsErrorCode, WrongCodeError
from torelik.summons.models import DocumentAccess, DocumentOpening
from torelik.summons.queries import documents_for
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import (
    CLAIM_REGISTERED,
    CLAIMANT_E164,
    DEFENDANT_E164,
    DEFENDANT_PHONE,
    register_claim,
)

pytestmark = pytest.mark.django_db
NOW = CLAIM_REGISTERED


def test_the_defendant_gets_a_login_and_one_time_password_by_sms(office: CourtOffice, outbox: Outbox) -> None:
    case = register_claim(office)
    access = DocumentAccess.objects.get()
    assert access.case == case
    assert access.party.role == PartyRole.DEFENDANT
    assert access.phone == DEFENDANT_E164
    assert access.expires_at == NOW + dt.timedelta(days=30)
    # The claimant filed on paper without agreeing to SMS: no login for them.
    assert set(outbox.logins()) == {DEFENDANT_E164}
    login, password = outbox.logins()[DEFENDANT_E164]
    assert access.login == login
    assert len(password) == 8
    assert password not in access.password_hash
    message = outbox[-1]
    assert (message.language, message.payload["case_number"], message.payload["until"]) == (
        "kk",
        case.number,
        "31.12.2026",
    )
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DOCUMENTS_ACCESS_GRANTED).count() == 1


def test_a_paper_claimant_who_agreed_gets_a_registration_notice_not_the_claim_notice(
    office: CourtOffice, outbox: Outbox
) -> None:
    case = register_claim(office, consent_sms=True)
    # Only the defendant is told of a claim against them and given the document-study login.
    assert set(outbox.logins()) == {DEFENDANT_E164}
    notices = [m for m in outbox if m.phone == CLAIMANT_E164]
    assert [m.template for m in notices] == ["filing_registered"]
    claimant_sms = Message.objects.get(recipient_phone=CLAIMANT_E164)
    assert case.number in claimant_sms.text
    assert "Бурабайский районный суд" in claimant_sms.text  # the court in the claimant's language (ru)
    assert "login" not in claimant_sms.payload
    case.refresh_from_db()
    assert f"/ru/cases/verify/{case.public_id}/{case.coupon_secret}/" in claimant_sms.text


def test_a_paper_claimant_who_did_not_agree_gets_nothing(office: CourtOffice, outbox: Outbox) -> None:
    register_claim(office, consent_sms=False)
    assert not [m for m in outbox if m.phone == CLAIMANT_E164]


def test_a_defendant_without_phone_or_email_gets_none(office: CourtOffice, outbox: Outbox) -> None:
    register_claim(office, defendant_phone="")
    assert not DocumentAccess.objects.exists()


def test_a_defendant_named_without_phone_gets_one_at_the_phone_of_their_record(
    office: CourtOffice, outbox: Outbox
) -> None:
    Person.objects.create(iin=DEFENDANT_IIN, surname="Әбілқасымов", given_name="Ерлан", phone=DEFENDANT_PHONE)
    register_claim(office, defendant_phone="")
    access = DocumentAccess.objects.get()
    assert (access.party.role, access.phone) == (PartyRole.DEFENDANT, DEFENDANT_E164)
    assert set(outbox.logins()) == {DEFENDANT_E164}


def test_the_login_keeps_the_id_of_its_message_in_the_outbox(office: CourtOffice) -> None:
    case = register_claim(office)
    access = DocumentAccess.objects.get()
    message = Message.objects.get(cause=f"documents:{case.pk}:{access.party_id}")
    assert access.message_id == str(message.public_id)
    granted = CaseEvent.objects.get(case=case, kind=CaseEventKind.DOCUMENTS_ACCESS_GRANTED)
    assert granted.data["message"] == access.message_id


def test_login_lists_the_documents_and_each_opening_is_recorded(office: CourtOffice, outbox: Outbox) -> None:
    case = register_claim(office)
    login, password = outbox.logins()[DEFENDANT_E164]
    with clock.frozen_at(NOW + dt.timedelta(days=2)):
        access = log_in_to_documents(login=login, password=password.upper())
        documents = list(documents_for(access))
        assert [d.title for d in documents] == ["Исковое заявление"]
        record_document_opening(access=access, document=None, ip_address="10.0.0.9")
        record_document_opening(access=access, document=documents[0], ip_address="10.0.0.9")
        record_document_opening(access=access, document=documents[0], ip_address="10.0.0.9")
    access.refresh_from_db()
    assert access.first_used_at == NOW + dt.timedelta(days=2)
    assert DocumentOpening.objects.filter(access=access, document=documents[0]).count() == 2
    studied = CaseEvent.objects.filter(case=case, kind=CaseEventKind.DOCUMENT_STUDIED)
    assert studied.count() == 1
    assert studied.get().data["document"] == str(documents[0].public_id)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_openings_at_the_same_moment_journal_the_study_once(
    office: CourtOffice, outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent openings are proven on PostgreSQL (SQLite serialises writers)")
    case = register_claim(office)
    login, password = outbox.logins()[DEFENDANT_E164]
    with clock.frozen_at(NOW + dt.timedelta(days=2)):
        access = log_in_to_documents(login=login, password=password)
    document = next(iter(documents_for(access)))
    # The first opening stops just before it journals, until the second has had its chance.
    journaling, go_on = threading.Event(), threading.Event()
    real = document_access.record_case_event  # type: ignore[attr-defined]

    def held(**kwargs: Any) -> Any:
        if not journaling.is_set():
            journaling.set()
            go_on.wait(timeout=10)
        return real(**kwargs)

    monkeypatch.setattr(document_access, "record_case_event", held)
    failures: list[BaseException] = []

    def open_document() -> None:
        try:
            record_document_opening(access=access, document=document, ip_address="10.0.0.9")
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    first, second = threading.Thread(target=open_document), threading.Thread(target=open_document)
    first.start()
    assert journaling.wait(timeout=10)
    second.start()
    second.join(timeout=1)  # it waits for the first (or, unguarded, runs through)
    go_on.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not failures, failures
    assert DocumentOpening.objects.filter(access=access, document=document).count() == 2
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DOCUMENT_STUDIED).count() == 1


def test_wrong_passwords_lock_the_login_and_unknown_logins_look_the_same(office: CourtOffice, outbox: Outbox) -> None:
    register_claim(office)
    login, password = outbox.logins()[DEFENDANT_E164]
    with clock.frozen_at(NOW), pytest.raises(WrongCodeError) as unknown:
        log_in_to_documents(login="99999999", password=password)
    with clock.frozen_at(NOW), pytest.raises(WrongCodeError) as wrong:
        log_in_to_documents(login=login, password="wrongpass")
    assert unknown.value.code == wrong.value.code == SummonsErrorCode.WRONG_LOGIN
    assert unknown.value.message == wrong.value.message
    for minute in range(1, 4):
        with clock.frozen_at(NOW + dt.timedelta(minutes=minute)), pytest.raises(WrongCodeError):
            log_in_to_documents(login=login, password="wrongpass")
    with clock.frozen_at(NOW + dt.timedelta(minutes=5)), pytest.raises(LockedError):
        log_in_to_documents(login=login, password="wrongpass")
    with clock.frozen_at(NOW + dt.timedelta(minutes=6)), pytest.raises(LockedError):
        log_in_to_documents(login=login, password=password)
    with clock.frozen_at(NOW + dt.timedelta(minutes=62)):
        assert log_in_to_documents(login=login, password=password).login == login


def test_an_expired_login_is_refused(office: CourtOffice, outbox: Outbox) -> None:
    register_claim(office)
    login, password = outbox.logins()[DEFENDANT_E164]
    with clock.frozen_at(NOW + dt.timedelta(days=31)), pytest.raises(CodeExpiredError) as caught:
        log_in_to_documents(login=login, password=password)
    assert caught.value.code == SummonsErrorCode.ACCESS_EXPIRED
