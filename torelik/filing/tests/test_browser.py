"""The whole Judicial Office flow in a real headless Chromium against the development signer: log
in with the AUTH key, file a claim with an attachment, pay in the sandbox, sign with the SIGN key,
see the case number and the judge."""

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, pdf_bytes
from torelik.distribution.actions import complete_pending_draws
from torelik.filing.models import Filing, FilingStatus
from torelik.filing.tests.conftest import Court3
from torelik.identity.devsigner import start_dev_signer
from torelik.identity.pki import DemoCA, KeyPurpose

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready", "mci_2026"),
]


def test_a_citizen_logs_in_files_pays_signs_and_sees_the_case_and_judge(
    page: Page, live_server: LiveServer, court3: Court3, demo_ca: DemoCA, settings: Any, tmp_path: Path
) -> None:
    keys = {
        purpose: demo_ca.issue_person(
            iin=CLAIMANT_IIN, surname="Ахметова", given_name="Айгерим", patronymic="Сериковна", purpose=purpose
        )
        for purpose in KeyPurpose
    }
    signer = start_dev_signer(keys=keys, iin=CLAIMANT_IIN, allowed_origins=[live_server.url])
    settings.TORELIK_NCALAYER_URL = signer.url
    try:
        page.goto(f"{live_server.url}/en/accounts/eds/login/?next=/en/office/")
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Judicial Office")

        page.locator("#new-kind").select_option("claim")
        page.get_by_role("button", name="Start a draft").click()
        page.locator("#id_category").select_option(court3.office.category.code)
        page.locator("#id_subject").fill("О взыскании долга по договору займа")
        page.locator("#id_claim_amount").fill("1000000")
        page.locator("#id_claims").fill("Взыскать 1 000 000 тенге")
        page.locator("#id_circumstances").fill("Заём не возвращён в срок")
        page.locator("[name=party-0-bin]").fill(COMPANY_BIN)
        page.locator("[name=party-0-organisation_name]").fill("ТОО Алатау Строй")
        page.locator("[name=party-0-region]").fill(str(court3.office.court.region.code))  # type: ignore[union-attr]
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("The draft is saved.")).to_be_visible()

        claim = tmp_path / "claim.pdf"
        claim.write_bytes(pdf_bytes("Statement of claim"))
        page.locator("#id_file").set_input_files(str(claim))
        page.locator("#id_role").select_option("filing")
        page.get_by_role("button", name="Attach").click()
        expect(page.get_by_text("The file is attached.")).to_be_visible()
        expect(page.get_by_text("State fee: 10,000.00 ₸")).to_be_visible()

        page.get_by_role("button", name="Pay online").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sandbox payment page")
        page.locator("#id_card_number").fill("4242 4242 4242 4242")
        page.locator("#id_holder").fill("AIGERIM AKHMETOVA")
        page.locator("#id_expiry").fill("12/29")
        page.locator("#id_cvc").fill("123")
        page.get_by_role("button", name="Pay").click()
        expect(page.get_by_text("The state fee is paid.")).to_be_visible()

        page.get_by_role("link", name="Sign and send").click()
        # The button works once the page's scripts have run (on a loaded machine, after the first paint).
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.TorelikSigner !== undefined")
        page.get_by_role("button", name="Sign with the digital signature and send").click()
        expect(page.locator("#filing-status")).to_have_text("registered", timeout=15000)
        filing = Filing.objects.get()
        assert filing.case is not None
        expect(page.locator("#case-number")).to_have_text(filing.case.number)

        time.sleep(3.2)  # the beacon round after the commitment and its checkpoint (the 2 s margin, one-second rounds)
        complete_pending_draws()
        page.reload()
        filing.refresh_from_db()
        assert filing.status == FilingStatus.ASSIGNED
        assert filing.case is not None
        assert filing.case.judge is not None
        expect(page.locator("#judge")).to_have_text(filing.case.judge.person.full_name)
    finally:
        signer.stop()
