"""A personnel officer records a judge's leave in a real headless Chromium: the card, the form with
its order attached, a refusal that keeps what was typed, then the leave on the card and in the row
the distribution reads."""

import datetime as dt

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.courts.models import JudgeAbsence
from torelik.personnel.tests.factories import PASSWORD, office, order_pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
# Far enough ahead of any day the suite runs on (the server's clock is not frozen): never back-dated.
FIRST, LAST = dt.date(2099, 3, 9), dt.date(2099, 3, 20)


def test_the_officer_records_a_leave_with_its_order_in_the_browser(page: Page, live_server: LiveServer) -> None:
    world = office()
    judge = world.judges[0]
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill(world.officer.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/ru/personnel/")
    page.locator("#find-person [name=iin]").fill(judge.person.iin)
    page.locator("#find-person button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(judge.person.full_name)
    page.locator("#record-absence").click()

    form = page.locator("#absence-form")
    form.locator("[name=kind]").select_option("leave")
    form.locator("[name=starts_on]").fill(LAST.isoformat())
    form.locator("[name=ends_on]").fill(FIRST.isoformat())
    form.locator("[name=reason]").fill("Приказ № 41-л")
    form.locator("button[type=submit]").click()
    expect(page.locator("#personnel-error")).to_have_text("Дата окончания раньше даты начала.")
    expect(page.locator("#absence-form [name=reason]")).to_have_value("Приказ № 41-л")

    form = page.locator("#absence-form")
    form.locator("[name=starts_on]").fill(FIRST.isoformat())
    form.locator("[name=ends_on]").fill(LAST.isoformat())
    order: FilePayload = {"name": "prikaz.pdf", "mimeType": "application/pdf", "buffer": order_pdf()}
    form.locator("[name=document]").set_input_files(files=[order])
    form.locator("button[type=submit]").click()
    expect(page.locator("#absences tbody tr")).to_have_count(1)
    expect(page.locator("#absences tbody tr").first).to_contain_text("ежегодный трудовой отпуск", ignore_case=True)
    expect(page.locator("#career")).to_contain_text("Приказ № 41-л")
    row = JudgeAbsence.objects.get(judge=judge)
    assert (row.starts_on, row.ends_on) == (FIRST, LAST)
    assert row.personnel_record.document is not None
