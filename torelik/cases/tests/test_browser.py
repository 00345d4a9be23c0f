"""A court office clerk registers a paper claim in a real headless Chromium and prints its coupon."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.models import Case
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, court_office, ensure_claim_document_type, pdf_bytes
from torelik.core import clock

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


@pytest.fixture
def claim_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "исковое-заявление.pdf"
    path.write_bytes(pdf_bytes("claim brought to the office"))
    return path


def test_clerk_registers_a_claim_with_two_parties_and_prints_the_coupon(
    page: Page, live_server: LiveServer, claim_pdf: Path
) -> None:
    ensure_claim_document_type()
    office = court_office("0215")

    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill(office.clerk.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/ru/workspace/")

    page.goto(f"{live_server.url}/ru/cases/register/")
    page.locator("[name=category]").select_option(office.category.code)
    page.locator("[name=subject]").fill("О взыскании задолженности по договору подряда")
    page.locator("[name=claim_amount]").fill("1 500 000")

    page.locator("[name=parties-0-role]").select_option("claimant")
    page.locator("[name=parties-0-iin]").fill(CLAIMANT_IIN)
    page.locator("[name=parties-0-surname]").fill("Сейткалиева")
    page.locator("[name=parties-0-given_name]").fill("Айгуль")
    page.locator("[name=parties-0-phone]").fill("+77011234567")
    page.locator("[name=parties-0-preferred_language]").select_option("ru")
    page.locator("[name=parties-1-role]").select_option("defendant")
    page.locator("[name=parties-1-bin]").fill(COMPANY_BIN)
    page.locator("[name=parties-1-organisation_name]").fill('ТОО "Алатау Строй"')
    # A third row can be added, and an untouched row is left out.
    page.locator("#parties .add-row").click()
    expect(page.locator("[name=parties-2-role]")).to_be_visible()

    page.locator("[name=documents-0-document_type]").select_option("claim")
    page.locator("[name=documents-0-page_count]").fill("3")
    page.locator("[name=documents-0-file]").set_input_files(claim_pdf)
    page.locator("[name=consent_sms]").check()
    page.locator("#registration button[type=submit]").click()

    number = f"0215-{clock.today().year % 100:02d}-00-2/1"
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    expect(page.locator(".messages")).to_contain_text(number)
    coupon = page.locator(f"a[href='/ru/cases/{number}/coupon.pdf']")
    expect(coupon).to_be_visible()

    case = Case.objects.get()
    assert case.parties.count() == 2
    assert case.consent_sms is True
    assert case.documents.get().filename == "исковое-заявление.pdf"

    response = page.request.get(f"{live_server.url}/ru/cases/{number}/coupon.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
