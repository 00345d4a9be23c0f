"""In a real headless Chromium, on a 375 px phone screen in Kazakh: a person types the barcode from a
court's envelope (with spaces, in lower case) and sees where the letter is, without sideways scrolling."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.tests.factories import court_office
from torelik.core import clock
from torelik.post import actions
from torelik.post.models import EventSource, LetterKind

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

NOW = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)


def test_a_letter_is_tracked_by_its_barcode_on_a_phone_in_kazakh(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    court = court_office("0215").court
    with clock.frozen_at(NOW):
        letter = actions.prepare_letter(
            court=court,
            kind=LetterKind.REGISTERED,
            recipient_name="Әбілқасымов Ерлан",
            address_text="050000, Алматы, Абай даңғылы, д. 10",
            enclosures=[],
        )
        actions.hand_over(court=court, day=NOW.date(), actor=None)
        barcode = letter.barcode or ""
        actions.record_reports(
            [actions.Report(barcode=barcode, event_id="x1", code="DELIVERED", at=NOW + dt.timedelta(days=3))],
            source=EventSource.WEBHOOK,
        )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/post/track/")
    typed = f"{barcode[:2].lower()} {barcode[2:6]} {barcode[6:10]} {barcode[10:].lower()}"
    page.locator("[name=barcode]").fill(typed)
    page.locator("form.track button[type=submit]").click()
    expect(page.locator("[data-status=delivered]")).to_contain_text("жеткізілді")
    expect(page.locator("[data-status=delivered]")).to_contain_text("04.12.2026")
    expect(page.locator("main")).not_to_contain_text("Әбілқасымов")
    page.screenshot(path=str(tmp_path / "track-kk-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.locator("[name=barcode]").fill(barcode[:10] + str((int(barcode[10]) + 1) % 10) + "KZ")
    page.locator("form.track button[type=submit]").click()
    expect(page.locator("form.track [role=alert]")).to_contain_text("бақылау цифры")
