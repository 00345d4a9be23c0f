"""A visitor on a phone reads the public statistics in Kazakh in a real headless Chromium: the charts
drawn (bars with a height, not a blank box), the tables beside them, a region and a court a click
away, another period chosen with the form, the page never wider than the phone."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.reports.tests.journal import known_journal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def _bars_drawn(page: Page, selector: str) -> int:
    """How many bars of the chart the browser drew with a visible height."""
    return int(
        page.evaluate(
            "(s) => [...document.querySelectorAll(s + ' rect')]"
            ".filter(r => r.getBoundingClientRect().height > 0.5).length",
            selector,
        )
    )


def test_a_visitor_reads_the_backlog_in_kazakh_on_a_phone(page: Page, live_server: LiveServer) -> None:
    net = known_journal()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/statistics/?period=2025")
    expect(page.locator("h1")).to_contain_text("Соттардың статистикасы")
    # 2025: instituted in January and February, disposed in February, March and April.
    assert _bars_drawn(page, "#months-chart") == 5
    assert _bars_drawn(page, "#age-chart") >= 1
    expect(page.locator('[data-figure="clearance_rate"]').first).to_have_text("75,0 %")
    expect(page.locator("#months-table tbody tr")).to_have_count(12)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name=net.region_b.name).click()
    expect(page.locator("h1")).to_contain_text(net.region_b.name)
    page.get_by_role("link", name=net.court_b.name).click()
    expect(page.locator("h1")).to_contain_text(net.court_b.name)
    expect(page.locator('[data-figure="instituted"]').first).to_have_text("1")

    page.fill("#period", "2025-Q1")
    page.get_by_role("button", name="Көрсету").click()
    expect(page.locator(".lead")).to_contain_text("01.01.2025 – 31.03.2025")
    expect(page.locator("h1")).to_contain_text(net.court_b.name)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_an_analyst_reads_the_committees_form_in_kazakh_on_a_phone(page: Page, live_server: LiveServer) -> None:
    import json

    from torelik.cases.tests.factories import staff_user
    from torelik.courts.models import StaffRole

    net = known_journal()
    staff_user("analyst.1101", net.court_a, StaffRole.ANALYST)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("#id_username").fill("analyst.1101")
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1")
    expect(page.locator("h1")).to_contain_text("Құқықтық статистика және арнайы есепке алу комитетіне есеп")
    expect(page.locator("#committee-form caption")).to_have_text("Істердің сот ісін жүргізу түрлері бойынша қозғалысы")
    # Court A in the first quarter: one, two and five received, one decided; two and five pending on 31 March.
    total = "td:last-child"
    expect(page.locator(f"#row-pending_start {total}")).to_have_text("0")
    expect(page.locator(f"#row-instituted {total}")).to_have_text("3")
    expect(page.locator(f"#row-disposed_decided {total}")).to_have_text("1")
    expect(page.locator(f"#row-pending_end {total}")).to_have_text("2")
    expect(page.locator(f"#row-average_days {total}")).to_have_text("50,0")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    page.fill("#period", "2025-H1")
    page.get_by_role("button", name="Көрсету").click()
    expect(page.locator(".lead")).to_contain_text("01.01.2025 – 30.06.2025")
    # Five, decided on 10 April, was resumed on 5 May.
    expect(page.locator(f"#row-reopened {total}")).to_have_text("1")
    expect(page.locator(f"#row-disposed {total}")).to_have_text("2")
    with page.expect_download() as download:
        page.locator("#export-json").click()
    body = json.loads(open(download.value.path(), encoding="utf-8").read())  # noqa: PTH123, SIM115
    assert body["format"] == "torelik.reports.committee/1"
    assert body["period"]["text"] == "2025-H1"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
