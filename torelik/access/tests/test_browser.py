"""The entrance officer's page in a real headless Chromium on a 375 px phone screen, in Kazakh (whose words
run longest), with the server's clock fixed on Wednesday 2 December 2026 at 09:30: an invalid IIN refused
with the reason, then the party summoned to the 10:00 hearing found by IIN, shown courtroom 101, given a
pass with its code and QR, and let in, with feedback after each step and nothing wider than the screen."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from torelik.access.models import Visit, VisitStatus
from torelik.access.tests.factories import INVALID_IIN, MORNING, PARTY_IIN, PASSWORD, building
from torelik.core import clock

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PHONE: ViewportSize = {"width": 375, "height": 800}


def _fits(page: Page) -> None:
    assert int(page.evaluate("() => document.documentElement.scrollWidth")) <= PHONE["width"]


def test_the_entrance_officer_registers_a_summoned_visitor_on_a_phone(
    page: Page, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The live server answers in its own threads, where a frozen context does not reach: its clock is fixed.
    monkeypatch.setattr(clock, "now", lambda: MORNING)
    b = building()
    url = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/kk/accounts/login/")
    page.locator("#id_username").fill(b.officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{url}/kk/access/entrance/")
    _fits(page)

    page.locator("#lookup [name=iin]").fill(INVALID_IIN)
    page.locator("#lookup button[type=submit]").click()
    expect(page.locator("#lookup")).to_contain_text("бақылау цифры")
    _fits(page)

    page.locator("#lookup [name=iin]").fill(PARTY_IIN)
    page.locator("#lookup button[type=submit]").click()
    summoned = page.locator("#found .summoned")
    expect(summoned).to_contain_text("101 зал")
    expect(summoned).to_contain_text("10:00")
    expect(page.locator("#found h2")).to_contain_text("Сейткалиева Айгуль")
    _fits(page)

    summoned.locator("button[value=register]").click()
    expect(page.locator(".messages")).to_contain_text("Тіркелді: Сейткалиева Айгуль")
    expect(page.locator("#pass")).to_contain_text("101 зал · 10:00")
    code = page.locator("#pass-code").inner_text()
    assert len(code) == 8
    expect(page.locator("#pass svg")).to_be_visible()
    _fits(page)

    page.locator("a", has_text="Кіреберіс бекетіне оралу").click()
    row = page.locator("#desk-today tr[data-visit]").first
    row.locator("button[value=in]").click()
    expect(page.locator(".messages")).to_contain_text("Сейткалиева Айгуль кірді.")
    expect(page.locator("#desk-today tr[data-visit]").first.locator(".status")).to_contain_text("ғимаратта")
    _fits(page)
    assert Visit.objects.get().status == VisitStatus.INSIDE
