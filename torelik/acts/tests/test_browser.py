"""The act's life in a real headless Chromium: the judge drafts from the case page, writes the
reasoning, previews, signs through the development signer (NCALayer's protocol), announces; the
claimant reads it in the Judicial Office (which is its delivery) and has an SMS about it."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.acts.models import Act, ActService, ActStatus
from torelik.acts.tests.factories import heard_case, key_of
from torelik.identity.devsigner import start_dev_signer
from torelik.identity.pki import DemoCA, KeyPurpose
from torelik.notifications.models import Message

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()


def test_a_judge_drafts_signs_and_announces_and_the_claimant_reads_it(
    page: Page, live_server: LiveServer, ca: DemoCA, tsa: str, settings: Any
) -> None:
    world = heard_case()
    judge = world.court.judge_user
    person = judge.person
    assert person is not None
    keys = {purpose: key_of(ca, person, purpose) for purpose in KeyPurpose}
    signer = start_dev_signer(keys=keys, iin=str(person.iin), allowed_origins=[live_server.url])
    settings.TORELIK_NCALAYER_URL = signer.url
    try:
        _log_in(page, live_server.url, judge.username)
        page.goto(f"{live_server.url}/en/cases/{world.case.number}/")
        page.locator("#act-kind").select_option("civil-decision")
        page.locator("#act-language").select_option("ru")
        page.get_by_role("button", name="Draft an act").click()
        expect(page.get_by_text("The draft is made from the case's facts.")).to_be_visible()
        page.locator("#id_reasoning").fill("Суд установил, что заём не возвращён; требования обоснованы.")
        page.locator("#id_operative").fill("Иск удовлетворить. Взыскать 1 000 000 тенге.")
        page.get_by_role("button", name="Keep as a new version").click()
        expect(page.get_by_text("A new version of the draft is kept.")).to_be_visible()
        page.locator("#act-sign").click()
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.TorelikSigner !== undefined")
        page.get_by_role("button", name="Sign with the digital signature").click()
        expect(page.get_by_text("The act is signed with your digital signature and time-stamped.")).to_be_visible(
            timeout=15000
        )
        expect(page.locator("#act-signature")).to_contain_text(person.surname)
        page.get_by_role("button", name="Announce the act").click()
        expect(page.get_by_text("The act is announced")).to_be_visible()
    finally:
        signer.stop()
    act = Act.objects.get()
    assert act.status == ActStatus.ANNOUNCED
    assert act.signed_version == 2
    sms = Message.objects.get(case=world.case)
    assert sms.recipient_phone == "+77011234567"
    assert f"/ru/acts/{act.public_id}/read/" in sms.text

    page.context.clear_cookies()
    _log_in(page, live_server.url, world.claimant.username)
    page.goto(f"{live_server.url}/en/office/cases/{world.case.number}/")
    page.locator("#my-acts a").first.click()
    expect(page.locator("#act-status")).to_have_text("announced")
    with page.expect_download() as download:
        page.locator("#act-download").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert ActService.objects.filter(act=act, party=world.claimant_party).exists()
