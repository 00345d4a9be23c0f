"""From the case page to its public distribution protocol, in a real headless Chromium."""

import time

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.actions import register_case
from torelik.cases.tests.factories import (
    claim_document,
    claimant_and_defendant,
    court_office,
    ensure_claim_document_type,
)
from torelik.courts.tests.factories import JudgeFactory
from torelik.distribution.actions import complete_pending_draws
from torelik.distribution.models import Draw

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_a_visitor_follows_the_case_to_its_protocol_and_sees_it_verified(page: Page, live_server: LiveServer) -> None:
    ensure_claim_document_type()
    office = court_office("0215")
    judges = [JudgeFactory.create(court=office.court) for _ in range(3)]
    case = register_case(
        court=office.court,
        proceeding_type="civil",
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document()],
        actor=office.clerk,
    )
    time.sleep(3.2)  # the beacon round after the commitment and its checkpoint (the 2 s margin, one-second rounds)
    complete_pending_draws()
    draw = Draw.objects.get(case=case)
    assert draw.judge in judges

    page.goto(f"{live_server.url}/en/accounts/login/")
    page.locator("#id_username").fill(office.clerk.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/en/cases/{case.number}/")
    page.get_by_role("link", name="distribution protocol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.get_by_text("re-computed here: it matches")).to_be_visible()
    expect(page.get_by_text(draw.snapshot_sha256)).to_be_visible()
    assert draw.judge is not None
    expect(page.locator("strong", has_text=draw.judge.person.full_name)).to_be_visible()
