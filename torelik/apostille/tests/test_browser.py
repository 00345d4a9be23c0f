"""In a real headless Chromium on a 375 px phone screen: the claimant asks for an apostille in the
Judicial Office, pays on the sandbox gateway's card page (whose signed notice reaches Torelik over HTTP),
the court office issues it, and anyone checks it in the public register by number and date."""

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from torelik.acts.tests.factories import on
from torelik.apostille import actions
from torelik.apostille.models import ApostilleRequest, ApostilleStatus
from torelik.apostille.tests.conftest import TODAY, decision_in_force
from torelik.core import clock
from torelik.identity.pki import DemoCA

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PHONE: ViewportSize = {"width": 375, "height": 740}


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"


def test_a_claimant_requests_and_pays_and_anyone_verifies_on_a_phone(
    page: Page, live_server: LiveServer, ca: DemoCA, tsa: str, settings: Any
) -> None:
    settings.TORELIK_PUBLIC_URL = live_server.url
    in_force = decision_in_force(ca)
    world = in_force.world
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill(world.claimant.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()

    page.goto(f"{live_server.url}/ru/apostille/")
    expect(page.get_by_role("heading", name="Апостили")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Запросить апостиль").click()  # nothing chosen: the browser asks
    page.locator(f"input[value='{in_force.act.public_id}:act']").check()
    page.locator("#id_country").select_option("DE")
    page.get_by_role("button", name="Запросить апостиль").click()
    expect(page.locator("#apostille-status")).to_have_text("ожидает оплаты государственной пошлины")
    _fits(page)
    page.locator("#apostille-pay").click()
    page.locator("#id_card_number").fill("4242 4242 4242 4242")
    page.locator("#id_holder").fill("AIGERIM AKHMETOVA")
    page.locator("#id_expiry").fill("12/29")
    page.locator("#id_cvc").fill("123")
    _fits(page)
    page.get_by_role("button", name="Оплатить").click()
    expect(page.locator("#apostille-status")).to_have_text("оплачен, в канцелярии суда")

    request = ApostilleRequest.objects.get()
    assert request.status == ApostilleStatus.QUEUED
    with clock.frozen_at(on(TODAY)):
        issued = actions.issue_apostille(request=request, actor=world.court.clerk)
    assert issued.number is not None

    page.reload()
    expect(page.locator("#apostille-number")).to_have_text(issued.number)
    with page.expect_download() as download:
        page.locator("#apostille-download").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ru/apostille/verify/")
    _fits(page)
    page.locator("#id_number").fill("0000-26-A-000009")
    page.locator("#id_date").fill("2026-12-21")
    page.locator("#apostille-verify button").click()
    expect(page.locator("#verify-result")).to_have_text("В реестре нет апостиля с таким номером и датой.")
    page.locator("#id_number").fill(issued.number)
    page.locator("#id_date").fill("2026-12-21")
    page.locator("#apostille-verify button").click()
    expect(page.locator("#verify-result")).to_contain_text("Выдан: апостиль есть в реестре и действителен.")
    expect(page.locator("#verify-seal")).to_have_text("действительна")
    _fits(page)
