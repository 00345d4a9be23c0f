"""A summoned citizen opens the public subpoena page in a real headless Chromium, enters the phone
and the code from the SMS, reads the subpoena, prints it and downloads the sealed PDF."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.summons.models import Subpoena
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIMANT_E164, summoned

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_citizen_opens_and_prints_the_subpoena_with_phone_and_code(
    page: Page, live_server: LiveServer, outbox: Outbox
) -> None:
    summons = summoned()
    code = outbox.codes()[CLAIMANT_E164]
    # The server runs on the real clock: keep the code valid whatever today is.
    Subpoena.objects.update(code_expires_at=clock.now() + dt.timedelta(days=30))
    subpoena = Subpoena.objects.get(phone=CLAIMANT_E164)

    page.goto(f"{live_server.url}/ru/summons/")
    page.locator("[name=phone]").fill("8 701 123 45 67")
    page.locator("[name=code]").fill("000000")
    page.locator("#subpoena-code button[type=submit]").click()
    expect(page.locator("#summons-error")).to_have_attribute("data-code", "wrong_code")

    page.locator("[name=phone]").fill("8 701 123 45 67")
    page.locator("[name=code]").fill(code)
    page.locator("#subpoena-code button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/ru/summons/s/{subpoena.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(subpoena.number)
    expect(page.locator("#subpoena")).to_contain_text(summons.case.number)
    expect(page.locator("#subpoena")).to_contain_text("Сейткалиева")
    expect(page.locator("#subpoena")).to_contain_text("02.12.2026 10:00")

    # Printing: the button calls the browser's print, and the printed page is the subpoena alone.
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.locator("#print-subpoena").click()
    assert page.evaluate("window.__printed === true")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#print-subpoena")).to_be_hidden()
    expect(page.locator("#subpoena")).to_be_visible()
    page.emulate_media(media="screen")

    pdf = page.request.get(f"{live_server.url}/ru/summons/s/{subpoena.public_id}/subpoena.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    assert CaseEvent.objects.filter(case=summons.case, kind=CaseEventKind.SUBPOENA_VIEWED).count() == 1
