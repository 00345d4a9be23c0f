"""In a real headless Chromium: the court office writes a request for a case file to a state body (played
by the partners' sender over real HTTP), sees it acknowledged with the body's number, registers the body's
paper answer, and finds both in the register of correspondence — in Russian, then the register in Kazakh."""

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.exchange.models import Letter, LetterDirection, PartnerKind
from torelik.exchange.tests.factories import case_with_writ, partner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_the_office_writes_a_letter_registers_the_answer_and_reads_the_register(
    page: Page, live_server: LiveServer, state_body: str, tmp_path: Path
) -> None:
    in_force = case_with_writ("0215")
    case, clerk = in_force.world.case, in_force.world.court.clerk
    partner(PartnerKind.STATE_BODY, "Департамент юстиции города Алматы", bin="940140000385", endpoint_url=state_body)
    client = Client()
    client.force_login(clerk)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/ru/exchange/letters/")
    expect(page.locator("h1")).to_have_text("Переписка с государственными органами")
    expect(page.locator("main")).to_contain_text("Писем пока нет.")
    page.locator("#write-letter").click()
    page.locator("#id_counterpart").select_option(label="Департамент юстиции города Алматы")
    page.locator("#id_kind").select_option("case_file_request")
    page.locator("#id_subject").fill("О направлении материалов исполнительного производства")
    page.locator("#id_text").fill("Просим направить материалы исполнительного производства по делу.")
    page.locator("#id_case_number").fill("9999-26-00-2/1")
    page.locator("#letter-form button[type=submit]").click()
    # A case number of no case of this court: refused with words, the draft kept.
    expect(page.locator("#letter-form")).to_contain_text("В этом суде нет дела 9999-26-00-2/1.")
    expect(page.locator("#id_subject")).to_have_value("О направлении материалов исполнительного производства")
    page.locator("#id_case_number").fill(case.number)
    page.locator("#letter-form button[type=submit]").click()

    expect(page.locator("#letter-status")).to_contain_text("Получение подтверждено")
    expect(page.locator("#their-number")).to_contain_text("05-14/1")
    sent = Letter.objects.get(direction=LetterDirection.OUTGOING)
    assert re.fullmatch(r"0215-\d\d/1", sent.number)
    expect(page.locator("h1")).to_have_text(f"Письмо {sent.number}")

    page.goto(f"{live_server.url}/ru/exchange/letters/")
    page.locator("#register-incoming").click()
    page.locator("#id_counterpart").select_option(label="Департамент юстиции города Алматы")
    page.locator("#id_kind").select_option("answer")
    page.locator("#id_counterpart_number").fill("2-17/905")
    page.locator("#id_counterpart_date").fill("2026-12-04")
    page.locator("#id_subject").fill("Материалы исполнительного производства")
    page.locator("#id_text").fill("Материалы направлены нарочным.")
    page.locator("#id_case_number").fill(case.number)
    page.locator("#incoming-form button[type=submit]").click()
    expect(page.locator("#their-number")).to_contain_text("2-17/905 · 04.12.2026")

    page.goto(f"{live_server.url}/ru/exchange/letters/")
    rows = page.locator("#letters tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#letters tr[data-direction=incoming]")).to_contain_text("2-17/905 · 04.12.2026")
    expect(page.locator("#letters tr[data-direction=outgoing]")).to_contain_text("Запрос материалов дела")
    expect(page.locator("#letters tr[data-direction=outgoing]")).to_contain_text(case.number)
    page.locator("a[aria-current=page] + a, nav a").filter(has_text="Входящие").click()
    expect(page.locator("#letters tbody tr")).to_have_count(1)

    page.goto(f"{live_server.url}/kk/exchange/letters/")
    expect(page.locator("h1")).to_have_text("Мемлекеттік органдармен хат алмасу")
    expect(page.locator("#letters tr[data-direction=outgoing]")).to_contain_text("Алынғаны расталды")
    page.screenshot(path=str(tmp_path / "letters-kk.png"), full_page=True)

    # The case's journal shows both letters.
    page.goto(f"{live_server.url}/ru/cases/{case.number}/")
    expect(page.locator("main")).to_contain_text("Письмо направлено в государственный орган")
    expect(page.locator("main")).to_contain_text("Получено письмо государственного органа")
