"""The administrator on a phone, in Kazakh: sees a failed task, tries it again, is told it is back in
the queue (a real headless Chromium at 375 px)."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.courts.models import StaffPosition, StaffRole
from torelik.courts.tests.factories import CourtFactory, PersonFactory
from torelik.identity.models import User
from torelik.workers import runner
from torelik.workers.tests import jobs

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_the_administrator_tries_a_failed_task_again_on_a_phone_in_kazakh(page: Page, live_server: LiveServer) -> None:
    person = PersonFactory.create()
    user = User.objects.create_user(username="admin-1916", password="a-long-passphrase-1", person=person)
    StaffPosition.objects.create(user=user, court=CourtFactory.create(), role=StaffRole.ADMINISTRATOR)
    result = jobs.always_failing.enqueue()  # its first try runs at once (no transaction to wait for)
    while DBTaskResult.objects.get(pk=result.id).status != "FAILED":
        DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())
        claimed = runner.claim("test-worker", pk=result.id)
        assert claimed is not None
        runner.execute(claimed)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("button[type=submit]").last.click()
    page.goto(f"{live_server.url}/kk/workspace/queues/")
    expect(page.locator("h1")).to_have_text("Фондық жұмыс")
    expect(page.locator("[data-state=no-worker]")).to_be_visible()  # no worker runs in this test
    row = page.locator(f"#task-{result.id}")
    expect(row).to_contain_text("this task never succeeds")
    if os.environ.get("TORELIK_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["TORELIK_SCREENSHOTS"]) / "queues-kk-375.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling
    row.get_by_role("button", name="Қайта орындау").click()
    expect(page.locator(".messages")).to_contain_text("Тапсырма кезекке қайтарылды")
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
