"""The operator's journey in a real headless Chromium (the issue's "Done when"): a call about a postponed
hearing, the party identified by the code sent to their phone, the answer read from the screen, a
complaint about improper notice routed to the chairman with its term; the chairman answers in the
browser, the caller's SMS is in the outbox, the statistics show the day's calls. Then the public web
form at 375 px."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.helpline.models import Call, CallStatus
from torelik.helpline.tests.factories import PARTY_IIN, PARTY_PHONE, last_code, world
from torelik.notifications.models import Message

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password (cases.tests.factories)


def _log_in(page: Page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/ru/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def _load_categories() -> None:
    from django.apps import apps

    from torelik.helpline.categories import load_categories

    load_categories(apps.get_model("helpline", "Category"))


def test_the_operator_answers_from_the_case_and_routes_a_complaint_the_chairman_answers(
    page: Page, live_server: LiveServer
) -> None:
    _load_categories()
    w = world()
    url = live_server.url
    _log_in(page, url, w.operator.username)
    page.goto(f"{url}/ru/helpline/operator/")
    page.locator("#identify [name=caller_iin]").fill(PARTY_IIN)
    page.locator("#identify button[value=send_code]").click()
    expect(page.locator(".messages")).to_contain_text("Код отправлен")
    page.locator("#identify [name=caller_iin]").fill(PARTY_IIN)
    page.locator("#identify [name=code]").fill(last_code(PARTY_PHONE))
    page.locator("#identify button[value=confirm]").click()
    expect(page.locator("#identified")).to_contain_text(PARTY_IIN)
    answer = page.locator(f".case-answer[data-case='{w.case.number}']")
    expect(answer.locator(".case-status")).to_be_visible()
    expect(answer.locator(".next-hearing")).to_contain_text(w.court.room.number)

    form = page.locator("#register-call")
    form.locator("[name=channel]").select_option("landline")
    form.locator("[name=language]").select_option("ru")
    form.locator("[name=caller_phone]").fill(PARTY_PHONE)
    form.locator("[name=category]").select_option("hearing_time")
    form.locator("[name=case_number]").fill(w.case.number)
    form.locator("[name=question]").fill("Заседание перенесли — когда следующее?")
    form.locator("[name=answer_now]").fill("Следующее заседание — по экрану оператора.")
    form.locator("button[value=register]").click()
    expect(page.locator("#call-status")).to_contain_text("Отвечено во время звонка")

    page.goto(f"{url}/ru/helpline/operator/")
    form = page.locator("#register-call")
    form.locator("[name=caller_phone]").fill(PARTY_PHONE)
    form.locator("[name=language]").select_option("ru")
    form.locator("[name=category]").select_option("improper_notice")
    form.locator("[name=case_number]").fill(w.case.number)
    form.locator("[name=question]").fill("Не получил повестку о заседании.")
    form.locator("button[value=register]").click()
    expect(page.locator(".messages")).to_contain_text("направлен")
    complaint = Call.objects.get(category__code="improper_notice")
    assert complaint.routed_to == w.court.court

    _log_in(page, url, w.chairman.username)
    page.goto(f"{url}/ru/helpline/queue/")
    page.get_by_role("link", name=complaint.number).click()
    page.locator("#answer-form [name=answer]").fill("Повестка направлена повторно, заседание отложено.")
    page.locator("#answer-form button[value=answer]").click()
    expect(page.locator("#call-answer")).to_contain_text("Повестка направлена повторно")
    complaint.refresh_from_db()
    assert complaint.status == CallStatus.ANSWERED
    sms = Message.objects.get(cause=f"helpline-answer:{complaint.public_id}")
    assert sms.recipient_phone == PARTY_PHONE
    assert complaint.number in sms.text
    # The caller opens the link of the SMS and reads the answer with the phone the request was filed with.
    link = sms.text[sms.text.index("/ru/helpline/follow/") :].split()[0]
    page.context.clear_cookies()
    page.goto(f"{url}{link}")
    page.locator("#follow [name=phone]").fill("8 701 123 45 67")
    page.locator("#follow button[type=submit]").click()
    expect(page.locator("#followed")).to_contain_text("Повестка направлена повторно")

    _log_in(page, url, w.operator.username)
    page.goto(f"{url}/ru/helpline/statistics/")
    expect(page.locator("#calls-total")).to_contain_text("2")


def test_the_public_web_form_at_phone_width(page: Page, live_server: LiveServer) -> None:
    _load_categories()
    world()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/helpline/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    form = page.locator("#web-request")
    form.locator("[name=caller_phone]").fill("+7 705 111 22 33")
    form.locator("[name=category]").select_option("copies_late")
    form.locator("[name=court]").fill("0215")
    form.locator("[name=question]").fill("Шешімнің көшірмесін бермейді.")
    form.locator("button[type=submit]").click()
    page.locator("#confirm-request [name=code]").fill(last_code("+77051112233"))
    page.locator("#confirm-request button[type=submit]").click()
    call = Call.objects.get()
    expect(page.locator("#followed")).to_be_hidden()
    page.locator("#follow [name=phone]").fill("+77051112233")
    page.locator("#follow button[type=submit]").click()
    expect(page.locator("#followed")).to_contain_text(call.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
