"""In a real headless Chromium, on a 375 px phone screen in Kazakh: a visitor opens the transparency
log, finds a case document's entry with its proof; the court's clerk downloads the case as a bag
that the standalone verifier accepts."""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.archive.log import sequence_and_checkpoint
from torelik.archive.queries import verifier_key
from torelik.cases.actions import register_case
from torelik.cases.tests.factories import (
    claim_document,
    claimant_and_defendant,
    court_office,
    ensure_claim_document_type,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_bag.py"


def test_a_visitor_finds_a_documents_entry_and_the_clerk_exports_the_bag(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    ensure_claim_document_type()
    office = court_office("0215")
    case = register_case(
        court=office.court,
        proceeding_type="civil",
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("for the log page")],
        actor=office.clerk,
    )
    checkpoint = sequence_and_checkpoint()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/kk/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ашықтық журналы")
    expect(page.get_by_text(checkpoint.root_hash)).to_be_visible()
    page.screenshot(path=str(tmp_path / "log-kk-375.png"), full_page=True)
    # The page's own content fits the phone (the site's header menu is the base template's).
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 375
    page.get_by_label("Индекс немесе жапырақ хэші").fill("0")
    page.get_by_role("button", name="Табу").click()
    expect(page.get_by_text("0 · құжат нұсқасы")).to_be_visible()
    expect(page.get_by_text(case.number).first).to_be_visible()

    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("#id_username").fill(office.clerk.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("button[type=submit]").click()
    page.goto(f"{live_server.url}/kk/cases/{case.number}/")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Іс материалдарын экспорттау (BagIt)").click()
    bag = tmp_path / "case.zip"
    downloading.value.save_as(bag)
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(TOOL), str(bag), "--log-key", verifier_key()],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
