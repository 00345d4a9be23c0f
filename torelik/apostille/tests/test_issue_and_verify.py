"""The issue's Done-when: an apostille is requested in the Judicial Office, paid, issued by the court
office and verifiable in the public register (page and API)."""

import subprocess
from decimal import Decimal

import pytest
from django.test import Client

from torelik.acts.models import ActStatus
from torelik.acts.tests.factories import on
from torelik.apostille.models import ApostilleRequest, ApostilleStatus, PaymentCallback
from torelik.apostille.tests.conftest import TODAY, InForce
from torelik.cases.models import CaseAccess
from torelik.core import clock
from torelik.filing.actions.payments import SIGNATURE_HEADER, SandboxGateway, sign_body
from torelik.identity.pades import check_pdf_seals
from torelik.notifications.models import Message

pytestmark = pytest.mark.django_db
# MCI 2026 = 4,325 ₸ (budget law, kazakhstan.md); the apostille fee is 50 % of the MCI per document
# (the courts' own published payment details: "Әр құжат үшін айлық есептік көрсеткіштің 50 пайызы").
FEE_2026 = Decimal("2162.50")


def _login(client: Client, user: object) -> None:
    client.force_login(user)  # type: ignore[arg-type]


def _pay(client: Client, request: ApostilleRequest) -> None:
    """The bank's side: the card is charged in the sandbox and its signed notice posted to Torelik."""
    sandbox = SandboxGateway()
    charge = sandbox.charge(order_id=request.order_id, card_number="4242424242424242")
    assert charge is not None
    body = sandbox.callback_body(charge)
    headers = {SIGNATURE_HEADER: sign_body(body, sandbox.secret)}
    for _twice in range(2):  # the gateway may repeat its notice: nothing changes
        response = client.post(
            "/api/v1/apostilles/payments/sandbox/callback", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 200, response.content
    # Both notices are in the log, accepted, against the request.
    log = PaymentCallback.objects.filter(request=request)
    assert list(log.values_list("accepted", "refusal", "body")) == [(True, "", body.decode())] * 2


def test_an_apostille_is_issued_and_verifiable(in_force: InForce) -> None:
    world, act = in_force.world, in_force.act
    assert act.status == ActStatus.IN_FORCE
    claimant = Client()
    _login(claimant, world.claimant)
    with clock.frozen_at(on(TODAY)):
        page = claimant.get("/ru/apostille/")
        assert page.status_code == 200
        assert world.case.number in page.content.decode()
        response = claimant.post("/ru/apostille/new/", {"document": f"{act.public_id}:act", "country": "DE"})
        assert response.status_code == 302
        request = ApostilleRequest.objects.get()
        assert request.fee_amount == FEE_2026
        assert request.status == ApostilleStatus.AWAITING_PAYMENT
        pay = claimant.post(f"/ru/apostille/{request.public_id}/pay/")
        assert pay.status_code == 302
        assert f"sandbox-pay/{request.order_id}/" in pay["Location"]
        _pay(claimant, request)
        request.refresh_from_db()
        assert request.status == ApostilleStatus.QUEUED
        assert request.receipt_number.startswith("SBX-")

        clerk = Client()
        _login(clerk, world.court.clerk)
        queue = clerk.get("/ru/apostille/office/")
        assert world.case.number in queue.content.decode()
        assert clerk.get(f"/ru/apostille/office/{request.public_id}/").status_code == 200
        assert CaseAccess.objects.filter(case=world.case, user=world.court.clerk).exists()  # a staff reading, logged
        issued = clerk.post(f"/ru/apostille/office/{request.public_id}/", {"action": "issue"})
        assert issued.status_code == 302
    request.refresh_from_db()
    assert request.status == ApostilleStatus.ISSUED
    assert request.number == f"{world.court.court.code}-26-A-000001"
    assert request.issued_on == TODAY
    assert request.signed_by == act.signer_name

    sms = Message.objects.get(cause=f"apostille:{request.public_id}:issued")
    assert sms.channel == "sms"
    assert request.number in sms.text

    download = claimant.get(f"/ru/apostille/{request.public_id}/apostille.pdf")
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    seals = check_pdf_seals(pdf)
    assert seals
    assert all(seal.ok for seal in seals)
    text = subprocess.run(["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "APOSTILLE" in text
    assert "Convention de La Haye du 5 octobre 1961" in text
    assert request.number in text
    assert "21.12.2026" in text
    assert "Қазақстан Республикасы" in text
    attached = subprocess.run(["/usr/bin/pdfdetach", "-list", "-"], input=pdf, capture_output=True, check=False)
    if attached.returncode == 0:  # poppler reads from stdin on newer versions only
        assert ".pdf" in attached.stdout.decode()

    public = Client()
    register = public.get("/ru/apostille/verify/", {"number": request.number, "date": "2026-12-21"})
    assert register.status_code == 200
    body = register.content.decode()
    assert "Выдан" in body
    assert act.signer_name in body
    assert world.claimant.person.full_name not in body  # type: ignore[union-attr]
    api = public.get("/api/v1/apostilles/verify", {"number": request.number, "date": "2026-12-21"})
    assert api.status_code == 200
    assert api.json()["status"] == "issued"
    assert api.json()["signed_by"] == act.signer_name
    wrong = public.get("/api/v1/apostilles/verify", {"number": request.number, "date": "2026-12-22"})
    assert wrong.status_code == 404
    assert wrong.json()["code"] == "apostille_not_in_register"
    assert public.get("/ru/apostille/verify/", {"number": "0000-26-A-999999", "date": "2026-12-21"}).status_code == 404
