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
from torelik.filing import actions
from torelik.filing.actions import SIGNATURE_HEADER, SandboxGateway, sign_body
from torelik.filing.models import Filing, FilingKind, FilingStatus, PaymentStatus, SandboxCharge
from torelik.filing.tests.conftest import (
    LAWYER_IIN,
    Court3,
    citizen,
    make_claim_draft,
    pay_in_sandbox,
    psc_code_sent,
)
from torelik.filing.tests.factories import Certificate
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
    assert "10,000.00" in draft_page  # grouped as English writes it
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


def _changes_refused(client: Client, filing: Filing) -> None:
    """Every way of changing or sending the draft is refused to `client` (403), and nothing changed."""
    url = f"/en/office/filings/{filing.public_id}"
    before = (filing.subject, filing.attachments.count(), filing.payments.count())
    attachment = filing.attachments.get()
    answers = {
        "form": client.post(f"{url}/", {"subject": "Подменённый предмет", "claim_amount": "1"}),
        "upload": client.post(
            f"{url}/attachments/", {"file": _upload("extra.pdf"), "role": "evidence", "title": "", "page_count": 1}
        ),
        "delete": client.post(f"{url}/attachments/{attachment.public_id}/delete/"),
        "pay": client.post(f"{url}/pay/"),
        "receipt": client.post(f"{url}/receipt/", {"receipt_number": "R-1"}),
        "sign page": client.get(f"{url}/sign/"),
        "sign": client.post(f"{url}/sign/", {"signature": base64.b64encode(b"x").decode()}),
        "psc": client.post(f"{url}/psc/", {"action": "send"}),
    }
    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(answers, 403)
    filing.refresh_from_db()
    assert (filing.subject, filing.attachments.count(), filing.payments.count()) == before
    assert filing.status == FilingStatus.DRAFT


def _upload(name: str) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    return SimpleUploadedFile(name, pdf_bytes(name), content_type="application/pdf")


def _read_only_page(client: Client, filing: Filing) -> str:
    page = client.get(f"/en/office/filings/{filing.public_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert filing.subject in text  # seeing stays
    assert 'id="read-only"' in text
    assert "Save the draft" not in text
    assert f"/office/filings/{filing.public_id}/sign/" not in text
    return text


def test_the_client_of_a_lawyer_sees_the_draft_filed_for_her_but_only_the_lawyer_changes_it(
    court3: Court3, claimant: User
) -> None:
    lawyer = citizen(LAWYER_IIN, "Касымов", "Нурлан")
    filing = make_claim_draft(court3.office, lawyer, filer_iin=LAWYER_IIN)
    assert actions.update_draft(filing=filing, actor=lawyer, on_behalf_of_iin=CLAIMANT_IIN) == {}
    filing.refresh_from_db()
    client = Client()
    client.force_login(claimant)
    _read_only_page(client, filing)
    _changes_refused(client, filing)
    # The lawyer, the filer, still changes it.
    own = Client()
    own.force_login(lawyer)
    saved = own.post(
        f"/en/office/filings/{filing.public_id}/",
        {"category": court3.office.category.code, "subject": "Уточнённый предмет", "on_behalf_of_iin": CLAIMANT_IIN},
    )
    assert saved.status_code == 302
    filing.refresh_from_db()
    assert filing.subject == "Уточнённый предмет"
    assert own.get(f"/en/office/filings/{filing.public_id}/sign/").status_code == 200


def test_the_citizen_sees_a_psc_draft_made_for_him_but_only_its_operator_changes_it(
    court3: Court3, claimant: User
) -> None:
    operator = staff_user("psc.owner", court3.office.court, StaffRole.PSC_OPERATOR)
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    client = Client()
    client.force_login(claimant)
    _read_only_page(client, filing)
    _changes_refused(client, filing)
    # Another operator does not even see it; the one who started it changes it.
    other = Client()
    other.force_login(staff_user("psc.other", court3.office.court, StaffRole.PSC_OPERATOR))
    assert other.get(f"/en/office/filings/{filing.public_id}/").status_code == 404
    assert other.post(f"/en/office/filings/{filing.public_id}/psc/", {"action": "send"}).status_code == 404
    own = Client()
    own.force_login(operator)
    assert own.post(f"/en/office/filings/{filing.public_id}/", {"subject": "Иной предмет"}).status_code == 302
    filing.refresh_from_db()
    assert filing.subject == "Иной предмет"


def test_an_operator_who_left_the_psc_no_longer_changes_the_drafts_they_started(court3: Court3) -> None:
    operator = staff_user("psc.left", court3.office.court, StaffRole.PSC_OPERATOR)
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    operator.positions.update(ends_on="2000-01-01")
    client = Client()
    client.force_login(operator)
    _changes_refused(client, filing)


def test_the_citizen_sees_a_draft_the_e_government_portal_sent_but_does_not_change_it_here(
    court3: Court3, claimant: User
) -> None:

    portal, _token = actions.create_api_client(name="egov.kz")
    filing = make_claim_draft(court3.office, claimant, channel=Channel.EGOV)
    Filing.objects.filter(pk=filing.pk).update(created_by=None, api_client=portal)
    filing.refresh_from_db()
    client = Client()
    client.force_login(claimant)
    _read_only_page(client, filing)
    _changes_refused(client, filing)


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


def test_a_psc_operator_files_through_the_pages_with_the_code_sent_to_the_citizens_phone(
    court3: Court3, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from torelik.notifications.models import Message  # noqa: PLC0415

    operator = staff_user("psc.op", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)  # on record: +77011234567
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
    # A phone typed by the operator (their own) is not where the code goes.
    sent = client.post(url, {"action": "send", "phone": "+77770000001"})
    assert sent.status_code == 200
    [message] = Message.objects.filter(cause__startswith=f"psc-filing:{filing.public_id}:")
    assert message.recipient_phone == "+77011234567"
    code = psc_code_sent(filing)
    page = sent.content.decode()
    assert code not in page  # the operator never sees the code
    assert 'name="phone"' not in page
    assert "ending ••• 45 67" in page
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, {"action": "confirm", "code": code})
    assert confirmed.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REGISTERED


def test_a_citizen_without_a_phone_on_record_gets_no_code_on_the_operators_screen(court3: Court3) -> None:
    from torelik.identity.models import Person  # noqa: PLC0415
    from torelik.notifications.models import Message  # noqa: PLC0415

    operator = staff_user("psc.nophone", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)
    Person.objects.filter(iin=CLAIMANT_IIN).update(phone="")
    client = Client()
    client.force_login(operator)
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    pay_in_sandbox(filing)
    url = f"/en/office/filings/{filing.public_id}/psc/"
    sent = client.post(url, {"action": "send", "phone": "+77770000001"})
    assert sent.status_code == 422
    page = sent.content.decode()
    assert "has no mobile phone on record" in page
    assert not filing.psc_confirmations.exists()  # no code exists that could be shown
    assert not Message.objects.filter(cause__startswith="psc-filing:").exists()


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
    actions.send_psc_code(filing=filing, operator=operator)
    code = psc_code_sent(filing)
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_psc_filing(filing=filing, operator=operator, code=code)
    response = Client().get(f"/{language}/office/statistics/")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="claims-electronic">1 / 2 \(50.0 %\)', page), page


# The filings made in a case that exists already name it; claims (and appeals of them) state an amount.
NAMES_A_CASE = {
    FilingKind.RESPONSE,
    FilingKind.APPEAL_RESPONSE,
    FilingKind.PETITION,
    FilingKind.PRIVATE_COMPLAINT,
    FilingKind.APPEAL,
    FilingKind.CASSATION,
    FilingKind.REVIEW,
}
STATES_AN_AMOUNT = {FilingKind.CLAIM, FilingKind.COURT_ORDER, FilingKind.APPEAL, FilingKind.CASSATION}


@pytest.mark.parametrize("kind", [k.value for k in FilingKind])
def test_every_kind_of_draft_opens_and_refuses_what_it_asks_for_when_it_is_wrong(
    claimant_client: Client, kind: str
) -> None:
    created = claimant_client.post("/kk/office/new/", {"kind": kind})
    assert created.status_code == 302
    assert claimant_client.get(created["Location"]).status_code == 200
    # A case number no case has and an amount that is no number: refused (422, the draft kept) where
    # the kind asks for them; ignored (saved, 302) where it does not.
    saved = claimant_client.post(created["Location"], {"case": "0000-00-00-0/0", "claim_amount": "abc"})
    asks = kind in NAMES_A_CASE or kind in STATES_AN_AMOUNT
    assert saved.status_code == (422 if asks else 302)
    assert Filing.objects.get(public_id=created["Location"].rstrip("/").rsplit("/", 1)[-1]).is_draft
    assert claimant_client.get(created["Location"] + "sign/").status_code == 200
