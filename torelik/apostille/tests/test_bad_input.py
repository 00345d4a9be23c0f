"""Bad input: another person's document, a document not in force, an unpaid request, a forged or wrong
payment notice, a wrong register number: each a translated refusal with a 4xx, nothing leaked."""

import json

import pytest
from django.test import Client

from torelik.acts.models import Act, ActStatus
from torelik.acts.tests.factories import on
from torelik.apostille import actions
from torelik.apostille.errors import ApostilleError, ApostilleErrorCode
from torelik.apostille.models import ApostilleRequest, ApostilleStatus, CallbackRefusal, DocumentKind, PaymentCallback
from torelik.apostille.tests.conftest import TODAY, InForce
from torelik.cases.models import Channel
from torelik.cases.tests.factories import PersonFactory
from torelik.core import clock
from torelik.filing.actions.payments import SIGNATURE_HEADER, SandboxGateway, sign_body
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def _stranger() -> User:
    return User.objects.create_user(username="stranger", password="a-long-passphrase-1", person=PersonFactory.create())


def test_a_document_of_another_persons_case_is_not_found_and_not_named(in_force: InForce) -> None:
    client = Client()
    client.force_login(_stranger())
    with clock.frozen_at(on(TODAY)):
        listing = client.get("/ru/apostille/")
        assert in_force.world.case.number not in listing.content.decode()
        response = client.post("/ru/apostille/new/", {"document": f"{in_force.act.public_id}:act", "country": "DE"})
    assert response.status_code == 404
    body = response.content.decode()
    assert "Нет такого судебного документа" in body
    assert in_force.world.case.number not in body
    assert not ApostilleRequest.objects.exists()


def test_a_document_not_in_force_is_refused_in_the_applicants_language(in_force: InForce) -> None:
    Act.objects.filter(pk=in_force.act.pk).update(status=ActStatus.APPEALED, in_force_on=None)
    client = Client()
    client.force_login(in_force.world.claimant)
    with clock.frozen_at(on(TODAY)):
        response = client.post("/kk/apostille/new/", {"document": f"{in_force.act.public_id}:act", "country": "DE"})
    assert response.status_code == 422
    assert "Апостиль тек заңды күшіне енген сот актісіне қойылады." in response.content.decode()
    assert not ApostilleRequest.objects.exists()


def test_an_unknown_country_is_refused(in_force: InForce) -> None:
    client = Client()
    client.force_login(in_force.world.claimant)
    with clock.frozen_at(on(TODAY)):
        response = client.post("/ru/apostille/new/", {"document": f"{in_force.act.public_id}:act", "country": "XX"})
    assert response.status_code == 422
    assert not ApostilleRequest.objects.exists()


def _requested(in_force: InForce) -> ApostilleRequest:
    person = in_force.world.claimant.person
    assert person is not None
    with clock.frozen_at(on(TODAY)):
        return actions.request_apostille(
            act=in_force.act,
            document_kind=DocumentKind.ACT,
            applicant=person,
            country="TR",
            channel=Channel.JUDICIAL_OFFICE,
            actor=in_force.world.claimant,
        )


def test_an_unpaid_request_is_not_issued(in_force: InForce) -> None:
    request = _requested(in_force)
    clerk = Client()
    clerk.force_login(in_force.world.court.clerk)
    with clock.frozen_at(on(TODAY)):
        response = clerk.post(f"/ru/apostille/office/{request.public_id}/", {"action": "issue"})
    assert response.status_code == 422
    assert "Государственная пошлина по этому запросу не оплачена." in response.content.decode()
    request.refresh_from_db()
    assert request.status == ApostilleStatus.AWAITING_PAYMENT
    assert request.number is None


def test_a_forged_or_wrong_amount_payment_notice_is_refused(in_force: InForce) -> None:
    request = _requested(in_force)
    body = json.dumps(
        {"order_id": request.order_id, "status": "paid", "amount": "2162.50", "receipt_number": "SBX-1"}
    ).encode()
    client = Client()
    forged = client.post(
        "/api/v1/apostilles/payments/sandbox/callback",
        body,
        content_type="application/json",
        headers={SIGNATURE_HEADER: "0" * 64},
    )
    assert forged.status_code == 422
    assert forged.json()["code"] == ApostilleErrorCode.PAYMENT_REFUSED
    short = json.dumps(
        {"order_id": request.order_id, "status": "paid", "amount": "1.00", "receipt_number": "X"}
    ).encode()
    wrong = client.post(
        "/api/v1/apostilles/payments/sandbox/callback",
        short,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign_body(short, SandboxGateway().secret)},
    )
    assert wrong.status_code == 422
    unknown = json.dumps({"order_id": "f" * 32, "status": "paid", "amount": "1.00", "receipt_number": "X"}).encode()
    missing = client.post(
        "/api/v1/apostilles/payments/sandbox/callback",
        unknown,
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign_body(unknown, SandboxGateway().secret)},
    )
    assert missing.status_code == 404
    garbled = client.post(
        "/api/v1/apostilles/payments/sandbox/callback",
        b"{not json",
        content_type="application/json",
        headers={SIGNATURE_HEADER: sign_body(b"{not json", SandboxGateway().secret)},
    )
    assert garbled.status_code == 422
    request.refresh_from_db()
    assert request.status == ApostilleStatus.AWAITING_PAYMENT
    # Every refusal is in the log, each with its reason, kept although the notice was refused.
    log = list(PaymentCallback.objects.order_by("pk").values_list("accepted", "refusal", "request", "body"))
    assert log == [
        (False, CallbackRefusal.BAD_SIGNATURE, None, body.decode()),
        (False, CallbackRefusal.WRONG_AMOUNT, request.pk, short.decode()),
        (False, CallbackRefusal.NOT_FOUND, None, unknown.decode()),
        (False, CallbackRefusal.MALFORMED, None, "{not json"),
    ]


def test_a_staff_member_of_another_court_cannot_decide(in_force: InForce) -> None:
    from torelik.hearings.tests.factories import court_with_staff

    request = _requested(in_force)
    ApostilleRequest.objects.filter(pk=request.pk).update(status=ApostilleStatus.QUEUED)
    other = court_with_staff("0216")
    client = Client()
    client.force_login(other.clerk)
    response = client.post(f"/ru/apostille/office/{request.public_id}/", {"action": "issue"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == ApostilleStatus.QUEUED


def test_a_refusal_needs_a_reason_and_is_registered(in_force: InForce) -> None:
    request = _requested(in_force)
    ApostilleRequest.objects.filter(pk=request.pk).update(status=ApostilleStatus.QUEUED)
    request.refresh_from_db()
    clerk = in_force.world.court.clerk
    with pytest.raises(ApostilleError) as refused:
        actions.refuse_apostille(request=request, actor=clerk, reason="  ")
    assert refused.value.code == ApostilleErrorCode.NO_REASON
    with clock.frozen_at(on(TODAY)):
        decided = actions.refuse_apostille(request=request, actor=clerk, reason="Копия не заверена.")
    assert decided.status == ApostilleStatus.REFUSED
    assert decided.number is not None
    api = Client().get("/api/v1/apostilles/verify", {"number": decided.number, "date": TODAY.isoformat()})
    assert api.status_code == 200
    assert api.json()["status"] == "refused"
    assert api.json()["signed_by"] == ""
    assert "Копия" not in api.content.decode()


def test_a_malformed_register_query_is_a_400_and_an_unknown_number_a_404() -> None:
    client = Client()
    bad_date = client.get("/api/v1/apostilles/verify", {"number": "0215-26-A-000001", "date": "21.12.2026x"})
    assert bad_date.status_code == 422
    assert bad_date.json()["code"] == ApostilleErrorCode.BAD_DATE
    unknown = client.get("/api/v1/apostilles/verify", {"number": "0215-26-A-000001", "date": "2026-12-21"})
    assert unknown.status_code == 404
    page = client.get("/ru/apostille/verify/", {"number": "0215-26-A-000001", "date": "не дата"})
    assert page.status_code == 400
