"""The Judicial Office pages: a draft through the form, the sandbox payment page, the signing page;
my cases; access (a citizen sees only their own filings and cases); PSC pages; statistics."""

import base64
import re

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.models import Channel
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, DEFENDANT_IIN, pdf_bytes, staff_user
from torelik.courts.models import StaffRole
from torelik.filing import psc
from torelik.filing.models import Filing, FilingKind, FilingStatus, PaymentStatus, SandboxCharge
from torelik.filing.payments import SIGNATURE_HEADER, SandboxGateway, sign_body
from torelik.filing.tests.conftest import Court3, citizen, make_claim_draft, pay_in_sandbox
from torelik.filing.tests.test_submission import Certificate
from torelik.identity.models import User
from torelik.identity.pki import sign_detached


@pytest.fixture
def callbacks_through_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox's HTTP callback goes to the test client instead of the network."""

    def deliver(self: SandboxGateway, charge: SandboxCharge, **_: object) -> bool:
        body = self.callback_body(charge)
        response = Client().post(
            "/api/v1/payments/sandbox/callback",
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: sign_body(body, self.secret)},
        )
        return response.status_code == 200

    monkeypatch.setattr(SandboxGateway, "deliver_callback", deliver)


@pytest.mark.usefixtures("callbacks_through_client")
def test_a_citizen_drafts_pays_signs_and_sees_the_case(
    court3: Court3,
    claimant_client: Client,
    certificate: Certificate,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    response = claimant_client.post("/en/office/new/", {"kind": FilingKind.CLAIM})
    assert response.status_code == 302
    url = response["Location"]
    first = claimant_client.get(url)
    assert first.status_code == 200
    assert "Statement of claim" in first.content.decode()
    saved = claimant_client.post(
        url,
        {
            "category": court3.office.category.code,
            "subject": "О взыскании долга",
            "claim_amount": "1000000",
            "claims": "Взыскать 1 000 000 тенге",
            "circumstances": "Долг",
            "party-0-role": "defendant",
            "party-0-bin": COMPANY_BIN,
            "party-0-organisation_name": "ТОО Тест",
            "party-0-region": court3.office.court.region.code,  # type: ignore[union-attr]
        },
    )
    assert saved.status_code == 302
    filing = Filing.objects.get()
    assert filing.court == court3.office.court  # suggested from the defendant's region
    upload = pdf_bytes("claim")
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    claimant_client.post(
        f"{url}attachments/",
        {"file": SimpleUploadedFile("claim.pdf", upload, "application/pdf"), "role": "filing", "page_count": 2},
    )
    draft_page = claimant_client.get(url).content.decode()
    assert "10000.00" in draft_page
    assert "claim.pdf" in draft_page
    paying = claimant_client.post(f"{url}pay/")
    assert paying.status_code == 302
    assert "/office/sandbox-pay/" in paying["Location"]
    card_page = claimant_client.get(paying["Location"])
    assert "4242" in card_page.content.decode()
    paid = claimant_client.post(
        paying["Location"], {"card_number": "4242 4242 4242 4242", "holder": "A S", "expiry": "12/29", "cvc": "123"}
    )
    assert paid.status_code == 302
    assert filing.payments.get().status == PaymentStatus.PAID
    sign_page = claimant_client.get(f"{url}sign/")
    manifest_b64 = re.search(r'data-manifest="([^"]+)"', sign_page.content.decode())
    assert manifest_b64 is not None
    signature = sign_detached(base64.b64decode(manifest_b64.group(1)), certificate())
    with django_capture_on_commit_callbacks(execute=True):
        sent = claimant_client.post(f"{url}sign/", {"signature": base64.b64encode(signature).decode()})
    assert sent.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REGISTERED
    assert filing.case is not None
    status_page = claimant_client.get(url).content.decode()
    assert filing.case.number in status_page
    my_case = claimant_client.get(f"/en/office/cases/{filing.case.number}/")
    assert my_case.status_code == 200
    assert "claim.pdf" in my_case.content.decode() or "Statement of claim" in my_case.content.decode()


def test_a_forged_signature_on_the_page_is_refused_and_the_draft_stays(
    court3: Court3, claimant: User, claimant_client: Client, certificate: Certificate
) -> None:
    filing = make_claim_draft(court3.office, claimant)
    pay_in_sandbox(filing)
    forged = sign_detached(b"something else", certificate())
    response = claimant_client.post(
        f"/en/office/filings/{filing.public_id}/sign/", {"signature": base64.b64encode(forged).decode()}
    )
    assert response.status_code == 422
    assert "The draft is kept as it was." in response.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_another_citizen_sees_neither_the_filing_nor_the_case(
    court3: Court3, claimant: User, certificate: Certificate
) -> None:
    filing = make_claim_draft(court3.office, claimant)
    other = Client()
    other.force_login(citizen(DEFENDANT_IIN, "Басқа", "Адам"))
    assert other.get(f"/en/office/filings/{filing.public_id}/").status_code == 404
    assert other.post(f"/en/office/filings/{filing.public_id}/pay/").status_code == 404
    assert other.get("/en/office/cases/0215-26-00-2/1/").status_code == 404


def test_the_sandbox_page_declines_the_declined_test_card(
    court3: Court3, claimant: User, claimant_client: Client
) -> None:
    filing = make_claim_draft(court3.office, claimant)
    response = claimant_client.post(f"/ru/office/filings/{filing.public_id}/pay/")
    page = claimant_client.post(
        response["Location"], {"card_number": "4000000000000002", "holder": "A", "expiry": "12/29", "cvc": "1"}
    )
    assert page.status_code == 200
    assert SandboxCharge.objects.get().status == PaymentStatus.DECLINED


def test_a_psc_operator_files_through_the_pages_with_the_code_on_screen(
    court3: Court3, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    operator = staff_user("psc.op", court3.office.court, StaffRole.PSC_OPERATOR)
    client = Client()
    client.force_login(operator)
    started = client.post("/kk/office/psc/", {"kind": FilingKind.CLAIM, "citizen_iin": CLAIMANT_IIN})
    assert started.status_code == 302
    filing = Filing.objects.get()
    assert filing.channel == Channel.PSC
    filing.delete()
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    pay_in_sandbox(filing)
    url = f"/en/office/filings/{filing.public_id}/psc/"
    sent = client.post(url, {"action": "send", "phone": ""})
    code = re.search(r"read it back: (\d{6})", sent.content.decode())
    assert code is not None
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, {"action": "confirm", "code": code.group(1)})
    assert confirmed.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REGISTERED


def test_a_citizen_is_not_let_into_the_psc_page(claimant_client: Client) -> None:
    assert claimant_client.get("/en/office/psc/").status_code == 403


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_statistics_page_counts_claims_filed_electronically_among_all(
    court3: Court3, claimant: User, language: str, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from torelik.cases.actions import register_case  # noqa: PLC0415
    from torelik.cases.tests.factories import claim_document, claimant_and_defendant  # noqa: PLC0415

    register_case(
        court=court3.office.court,
        proceeding_type="civil",
        category_code=court3.office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document()],
        actor=court3.office.clerk,
    )
    operator = staff_user("psc.stat", court3.office.court, StaffRole.PSC_OPERATOR)

    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    pay_in_sandbox(filing)
    _confirmation, shown = psc.send_psc_code(filing=filing, operator=operator)
    assert shown is None  # the citizen has a phone: the code went by SMS
    from torelik.notifications.models import Message  # noqa: PLC0415

    code = Message.objects.get(cause__startswith="psc-filing:").payload["code"]
    with django_capture_on_commit_callbacks(execute=True):
        psc.confirm_psc_filing(filing=filing, operator=operator, code=code)
    response = Client().get(f"/{language}/office/statistics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="claims-electronic">1 / 2 \(50.0 %\)', page), page


@pytest.mark.parametrize("kind", [k.value for k in FilingKind])
def test_every_kind_of_draft_opens_and_saves_without_error(claimant_client: Client, kind: str) -> None:
    created = claimant_client.post("/kk/office/new/", {"kind": kind})
    assert created.status_code == 302
    assert claimant_client.get(created["Location"]).status_code == 200
    saved = claimant_client.post(created["Location"], {"case": "0000-00-00-0/0", "claim_amount": "abc"})
    assert saved.status_code in (302, 422)
    assert claimant_client.get(created["Location"] + "sign/").status_code in (200, 422)
