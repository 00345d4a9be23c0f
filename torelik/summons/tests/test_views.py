"""The public pages through Django's test client: subpoena by phone and code, the check by number,
the documents by SMS login."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.hearings.actions import cancel_hearing
from torelik.hearings.tests.factories import NOW
from torelik.identity.pades import PdfSeal
from torelik.summons import actions, sealing
from torelik.summons.models import DocumentOpening, Subpoena
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIM_REGISTERED, CLAIMANT_E164, CLAIMANT_PHONE, register_claim, summoned

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=2)


def test_phone_and_code_open_the_page_and_only_this_browser_sees_it(client: Client, outbox: Outbox) -> None:
    summons = summoned()
    assert client.get("/en/summons/").status_code == 200
    with clock.frozen_at(LATER):
        response = client.post("/en/summons/", {"phone": CLAIMANT_PHONE, "code": outbox.codes()[CLAIMANT_E164]})
    subpoena = Subpoena.objects.get(phone=CLAIMANT_E164)
    assert response.status_code == 302
    assert response["Location"] == f"/en/summons/s/{subpoena.public_id}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert summons.case.number in html
    assert subpoena.number in html
    assert "window.print()" in html
    pdf = client.get(f"/en/summons/s/{subpoena.public_id}/subpoena.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    # Another browser, without the code, gets nothing.
    assert Client().get(response["Location"]).status_code == 404
    assert CaseEvent.objects.filter(kind=CaseEventKind.SUBPOENA_VIEWED).count() == 1


def test_a_wrong_code_answers_401_with_the_message(client: Client, outbox: Outbox) -> None:
    summoned()
    with clock.frozen_at(LATER):
        response = client.post("/en/summons/", {"phone": CLAIMANT_PHONE, "code": "000000"})
    assert response.status_code == 401
    assert "The phone number or the code is wrong." in response.content.decode()


def test_an_empty_form_is_a_400(client: Client) -> None:
    assert client.post("/en/summons/", {"phone": "", "code": ""}).status_code == 400


def test_the_check_by_number(client: Client, outbox: Outbox) -> None:
    summons = summoned()
    code = Subpoena.objects.get(number="0215-26-S-000001").verify_code
    page = client.get("/en/summons/verify/", {"number": "0215-26-S-000001", "code": code}, follow=True)
    html = page.content.decode()
    assert page.status_code == 200
    assert "was issued by the court" in html
    assert summons.claimant.surname not in html
    missing = client.get(f"/en/summons/verify/0215-26-S-000404/{code}/")
    assert missing.status_code == 404
    assert "is not genuine" in missing.content.decode()


def test_documents_by_sms_login(client: Client, outbox: Outbox, office) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    register_claim(office)
    login, password = next(iter(outbox.logins().values()))
    with clock.frozen_at(CLAIM_REGISTERED + dt.timedelta(days=1)):  # the login holds 30 days from the claim
        response = client.post("/ru/summons/documents/", {"login": login, "password": password})
        assert response.status_code == 302
        listing = client.get("/ru/summons/documents/")
        html = listing.content.decode()
        assert listing.status_code == 200
        assert "Исковое заявление" in html
        match = re.search(r'href="/ru/summons/documents/([0-9a-f-]{36})/"', html)
        assert match is not None
        link = f"{match.group(1)}/"
        document = client.get(f"/ru/summons/documents/{link}")
        assert document.status_code == 200
        assert b"".join(document.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
        assert DocumentOpening.objects.filter(document__isnull=False).count() == 1
        assert DocumentOpening.objects.filter(document__isnull=True).count() == 1
        client.post("/ru/summons/documents/logout/")
        assert client.get(f"/ru/summons/documents/{link}").status_code == 302


def test_the_check_shows_a_valid_court_seal_once_the_pdf_is_made(client: Client, outbox: Outbox) -> None:
    summoned()
    subpoena = Subpoena.objects.get(phone=CLAIMANT_E164)
    actions.sealed_pdf(subpoena=subpoena)
    html = client.get(f"/en/summons/verify/{subpoena.number}/{subpoena.verify_code}/").content.decode()
    assert "Electronic seal" in html
    assert ": valid" in html


def test_the_seal_of_a_stored_pdf_is_validated_once_not_on_every_view_of_the_check(
    client: Client, outbox: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    summoned()
    subpoena = Subpoena.objects.get(phone=CLAIMANT_E164)
    actions.sealed_pdf(subpoena=subpoena)
    validations: list[int] = []
    real = sealing.check_pdf_seals  # type: ignore[attr-defined]

    def counted(pdf: bytes) -> list[PdfSeal]:
        validations.append(len(pdf))
        return real(pdf)

    monkeypatch.setattr(sealing, "check_pdf_seals", counted)
    cache.clear()
    for _view in range(3):
        html = client.get(f"/en/summons/verify/{subpoena.number}/{subpoena.verify_code}/").content.decode()
        assert ": valid" in html
    assert len(validations) == 1


def test_a_malformed_number_is_a_clear_refusal_not_a_crash(client: Client) -> None:
    response = client.get("/en/summons/verify/", {"number": "../../etc/passwd"})
    assert response.status_code == 200
    assert "A subpoena number looks like 0215-26-S-000123." in response.content.decode()


def test_a_revoked_subpoena_is_shown_as_revoked_and_its_sealed_pdf_no_longer_given(
    client: Client, outbox: Outbox
) -> None:
    summons = summoned()
    with clock.frozen_at(LATER):
        opened = client.post("/en/summons/", {"phone": CLAIMANT_PHONE, "code": outbox.codes()[CLAIMANT_E164]})
        cancel_hearing(hearing=summons.hearing, reason="иск отозван", actor=summons.court.clerk)
    page = client.get(opened["Location"]).content.decode()
    assert 'id="subpoena-pdf"' not in page
    assert client.get(f"{opened['Location']}subpoena.pdf").status_code == 410


def test_a_number_with_a_nul_byte_is_not_found_not_a_crash(client: Client) -> None:
    assert client.get("/en/summons/verify/0215-26-S-00%00001/abc/").status_code == 404
    answer = client.get("/api/v1/summons/verify/0215-26-S%0000001")
    assert answer.status_code == 400  # the API refuses a NUL anywhere, in its error format
    assert answer.json()["code"] == "invalid_input"
