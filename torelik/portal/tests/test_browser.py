"""The issue's "Done when" in a real headless Chromium: a judge opening a loan-dispute case sees, on the
case page, the Supreme Court's normative resolution on bank-loan disputes from the practice library (the
panel loaded from the portal), opens it, and finds it again by a Kazakh search in the library. Then the
Supreme Court's editor adds an item through the form, a refused date first, nothing typed lost."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.portal.models import PracticeItem
from torelik.portal.tests.factories import RESOLUTION_KK, RESOLUTION_RU, world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password (cases.tests.factories)


def _log_in(page: Page, url: str, username: str, language: str = "ru") -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/{language}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_judge_opening_a_loan_dispute_case_sees_the_supreme_courts_resolution_on_loans(
    page: Page, live_server: LiveServer
) -> None:
    w = world()
    _log_in(page, live_server.url, w.district.judge_user.username)
    page.goto(f"{live_server.url}/ru/cases/{w.loan_case.number}/")
    panel = page.locator("section#practice")
    expect(panel.locator("h2")).to_have_text("Практика по этой категории")
    expect(panel.get_by_role("link", name=RESOLUTION_RU)).to_be_visible()
    expect(panel).to_contain_text("№ 7 от 25.11.2016")
    expect(panel).to_contain_text("Обобщение практики по спорам о займах между гражданами")
    panel.get_by_role("link", name=RESOLUTION_RU).click()
    expect(page.locator("h1")).to_have_text(RESOLUTION_RU)
    expect(page.locator("dl.facts")).to_contain_text("Нормативное постановление Верховного Суда")

    page.goto(f"{live_server.url}/kk/portal/library/")
    page.locator("#id_q").fill("банктік қарыз")
    page.get_by_role("button", name="Іздеу").click()
    expect(page.locator("#library-hits li")).to_have_count(1)
    expect(page.locator("#library-hits")).to_contain_text(RESOLUTION_KK)


def test_the_editor_adds_an_item_and_a_refused_date_loses_nothing(page: Page, live_server: LiveServer) -> None:
    w = world()
    _log_in(page, live_server.url, w.editor.username)
    page.goto(f"{live_server.url}/ru/portal/library/new/")
    page.locator("#id_kind").select_option("generalisation")
    page.locator("#id_number").fill("ОБ-2026-01")
    page.locator("#id_adopted_on").fill("2026-02-02")
    page.locator("#id_title_kk").fill("Қарыз даулары бойынша қорыту")
    page.locator("#id_title_ru").fill("Обобщение по спорам о займах")
    page.locator("#id_text_ru").fill("Длинный текст обобщения, который нельзя потерять.")
    page.locator("#id_status").select_option("lost_force")
    page.locator("#id_lost_force_on").fill("2025-01-01")
    page.locator("#id_categories").select_option([w.loan.code])
    page.get_by_role("button", name="Сохранить в библиотеке").click()
    expect(page.get_by_text("Акт не может утратить силу раньше своей даты.")).to_be_visible()
    expect(page.locator("#id_text_ru")).to_have_value("Длинный текст обобщения, который нельзя потерять.")
    page.locator("#id_status").select_option("in_force")
    page.get_by_role("button", name="Сохранить в библиотеке").click()
    expect(page.get_by_text("Материал сохранён в библиотеке.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Обобщение по спорам о займах")
    assert PracticeItem.objects.filter(number="ОБ-2026-01", categories=w.loan).exists()
