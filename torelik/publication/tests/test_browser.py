"""In a real headless Chromium: the court's clerk publishes the act from the review page with a click,
and the public search (with a query, its facets and highlighted passages) and the act's page fit a
375 px phone in Kazakh and Russian."""

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.tests.factories import staff_user
from torelik.courts.models import StaffRole
from torelik.publication import actions
from torelik.publication.models import PublicationStatus, PublishedAct
from torelik.publication.tests.factories import announced_decision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PHONE: ViewportSize = {"width": 375, "height": 800}


def _width(page: Page, url: str) -> int:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_the_clerk_publishes_and_the_search_and_act_page_fit_a_phone(page: Page, live_server: LiveServer) -> None:
    import datetime as dt

    act = announced_decision(on=dt.date(2026, 11, 16))
    published = actions.prepare_candidate(act)
    assert published is not None
    staff_user("reviewer.browser", act.case.court, StaffRole.CLERK)
    base = live_server.url
    page.goto(f"{base}/ru/accounts/login/")
    page.locator("#id_username").fill("reviewer.browser")
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{base}/ru/acts/review/{published.public_id}/")
    expect(page.locator("#review-text mark.mask-iin")).to_have_count(1)
    page.locator("#publish").click()
    expect(page.locator("#publication-status")).to_have_text("опубликован")
    assert PublishedAct.objects.get(pk=published.pk).status == PublicationStatus.PUBLISHED
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    widths = {
        path: _width(page, f"{base}{path}")
        for path in (
            "/kk/acts/?q=займа",
            "/ru/acts/?q=%22договору+займа%22",
            f"/kk/acts/published/{published.public_id}/",
            f"/ru/acts/published/{published.public_id}/",
        )
    }
    assert {path: w for path, w in widths.items() if w > PHONE["width"]} == {}
    page.goto(f"{base}/ru/acts/?q=займа")
    expect(page.locator("#acts-results mark").first).to_have_text("займа")


def test_a_visitor_asks_for_a_correction_and_reads_the_clerks_answer_on_a_phone(
    page: Page, live_server: LiveServer
) -> None:
    import datetime as dt

    from torelik.publication.models import CorrectionRequest

    act = announced_decision(on=dt.date(2026, 11, 16))
    published = actions.prepare_candidate(act)
    assert published is not None
    clerk = staff_user("reviewer.corrections", act.case.court, StaffRole.CLERK)
    actions.publish(published=published, actor=clerk)
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/kk/acts/published/{published.public_id}/")
    page.locator("#id_message").fill("Мекенжай көрінеді")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#correction-waiting")).to_be_visible()
    status_url = page.url
    assert "/kk/acts/correction/" in status_url
    assert int(page.evaluate("() => document.documentElement.scrollWidth")) <= PHONE["width"]
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/ru/accounts/login/")
    page.locator("#id_username").fill("reviewer.corrections")
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{base}/ru/acts/review/")
    page.locator("#corrections a").first.click()
    request = CorrectionRequest.objects.get(published_act=published)
    form = page.locator(f"#correction-{request.pk} form")
    form.locator("input[value=refused]").check()
    form.locator("textarea").fill("Адрес организации, не гражданина")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages, .message, [role=status]").first).to_contain_text("Ответ отправлен")
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    for language, refused in (("kk", "бас тартылды"), ("ru", "отказано")):
        page.goto(status_url.replace("/kk/", f"/{language}/"))
        expect(page.locator("#correction-outcome")).to_contain_text(refused, ignore_case=True)
        expect(page.locator("#correction-answer")).to_contain_text("Адрес организации")
        assert int(page.evaluate("() => document.documentElement.scrollWidth")) <= PHONE["width"]
