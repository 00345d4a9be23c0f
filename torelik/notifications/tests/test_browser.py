"""A clerk sees a failed SMS of the court on the messages page in a real browser and resends it."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.notifications import actions
from torelik.notifications.actions import Outcome
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.tests.factories import court_office, summons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_clerk_resends_a_failed_sms_from_the_messages_page(page: Page, live_server: LiveServer) -> None:
    office = court_office("0215")
    failed = summons("subpoena:browser", court=office.court)
    actions.claim_due(limit=10)
    actions.record_outcomes([Outcome(message_id=failed.pk, ok=False, error="Kannel answered 403", retryable=False)])

    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill(office.clerk.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(f"{live_server.url}/ru/workspace/")

    page.goto(f"{live_server.url}/ru/notifications/")
    row = page.locator(f"#message-{failed.public_id}")
    expect(row).to_contain_text("+77011234567")
    expect(row).to_contain_text("Kannel answered 403")
    row.get_by_role("button").click()

    expect(page.locator(".messages")).to_be_visible()
    again = Message.objects.get(resend_of=failed)
    assert again.status == MessageStatus.QUEUED
    assert again.resent_by == office.clerk
    expect(page.locator(f"#message-{failed.public_id} button")).to_have_count(0)
