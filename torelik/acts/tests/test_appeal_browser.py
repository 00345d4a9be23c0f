"""The appeal half of an act's life in a real headless Chromium: the claimant appeals in time through
the Judicial Office (signed through the development signer); the appeal waits at the court that
decided while the term for responses runs (the frozen clock is moved past it); its clerk sends the
case up from "ready to send"; a judge of the regional court is drawn, drafts, signs and announces a
resolution upholding the decision; Torelik records the decision's entry into force by itself and
issues the writ; the act's public verification page says a copy is genuine and a changed byte is not."""

import datetime as dt
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.acts import actions
from torelik.acts.models import Act, ActStatus, Appeal, AppealStatus
from torelik.acts.tests.factories import heard_case, key_of, on
from torelik.archive.queries import open_stored_file
from torelik.cases.models import Case, CaseEvent, CaseEventKind, Instance
from torelik.cases.tests.factories import pdf_bytes
from torelik.core import clock
from torelik.core.models import MonthlyCalculationIndex
from torelik.courts.models import Court, CourtKind
from torelik.distribution.actions import complete_pending_draws
from torelik.hearings.tests.factories import court_with_staff
from torelik.identity.devsigner import start_dev_signer
from torelik.identity.models import User
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

# Days before the wall clock (a draw's beacon round must be public on it too).
DECIDED = dt.date(2026, 9, 8)  # a Tuesday; the month's appeal term runs to Thu 8 Oct 2026
APPEALED = dt.date(2026, 9, 10)  # ten working days for responses: to Thu 24 Sep
READY = dt.date(2026, 10, 9)  # the term for responses and the appeal term have both run


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: dt.date, *, seconds: int = 0) -> None:
    """Freeze `clock.now()` for every thread, the live server's included (a context variable set in
    the test's thread would not reach it); always a day before the wall clock, so draws complete."""
    monkeypatch.setattr(
        clock, "_frozen", ContextVar("torelik_frozen_now", default=on(day) + dt.timedelta(seconds=seconds))
    )


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/en/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()


def _signer_for(ca: DemoCA, user: User, live_server: LiveServer, settings: Any) -> Any:
    person = user.person
    assert person is not None
    keys = {purpose: key_of(ca, person, purpose) for purpose in KeyPurpose}
    signer = start_dev_signer(keys=keys, iin=str(person.iin), allowed_origins=[live_server.url])
    settings.TORELIK_NCALAYER_URL = signer.url
    return signer


def test_a_party_appeals_the_case_goes_up_after_the_responses_and_the_upheld_decision_enters_into_force(
    page: Page, live_server: LiveServer, ca: DemoCA, tsa: str, settings: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    MonthlyCalculationIndex.objects.get_or_create(
        effective_from=dt.date(2026, 1, 1), defaults={"amount": Decimal("4325.00"), "legal_basis": "2026"}
    )
    _clock_at(monkeypatch, DECIDED)
    world = heard_case()
    Case.objects.filter(pk=world.case.pk).update(claim_amount=Decimal("1000000"))
    regional = court_with_staff("1900")
    Court.objects.filter(pk=regional.court.pk).update(kind=CourtKind.REGIONAL)
    Court.objects.filter(pk=world.court.court.pk).update(parent=regional.court)
    judge = world.court.judge_user
    decision = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=decision, actor=judge)
    assert judge.person is not None
    cms = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))
    decision = actions.announce_act(act=actions.sign_act(act=decision, actor=judge, signature=cms), actor=judge)
    assert decision.appeal_term_end == dt.date(2026, 10, 8)

    # The claimant appeals in time through the Judicial Office.
    _clock_at(monkeypatch, APPEALED)
    signer = _signer_for(ca, world.claimant, live_server, settings)
    try:
        _log_in(page, live_server.url, world.claimant.username)
        page.goto(f"{live_server.url}/en/office/")
        page.locator("#new-kind").select_option("appeal")
        page.get_by_role("button", name="Start a draft").click()
        page.locator("#id_case").fill(world.case.number)
        page.locator("#id_decision_date").fill(DECIDED.isoformat())
        page.locator("#id_grounds").fill("Суд неверно оценил доказательства по делу.")
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("The draft is saved.")).to_be_visible()
        appeal_pdf = tmp_path / "appeal.pdf"
        appeal_pdf.write_bytes(pdf_bytes("Апелляционная жалоба"))
        page.locator("#id_file").set_input_files(str(appeal_pdf))
        page.locator("#id_role").select_option("filing")
        page.get_by_role("button", name="Attach").click()
        expect(page.get_by_text("The file is attached.")).to_be_visible()
        page.get_by_role("button", name="Pay online").click()
        page.locator("#id_card_number").fill("4242 4242 4242 4242")
        page.locator("#id_holder").fill("AIGERIM AKHMETOVA")
        page.locator("#id_expiry").fill("12/29")
        page.locator("#id_cvc").fill("123")
        page.get_by_role("button", name="Pay").click()
        expect(page.get_by_text("The state fee is paid.")).to_be_visible()
        page.get_by_role("link", name="Sign and send").click()
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.TorelikSigner !== undefined")
        page.get_by_role("button", name="Sign with the digital signature and send").click()
        expect(page.locator("#filing-status")).to_have_text("added to the case", timeout=15000)
        expect(page.locator("#case-number")).to_have_text(world.case.number)
    finally:
        signer.stop()
    appeal = Appeal.objects.get(case=world.case)
    assert appeal.status == AppealStatus.AWAITING_RESPONSES
    assert not appeal.late
    assert Act.objects.get(pk=decision.pk).status == ActStatus.APPEALED

    # The first-instance court's clerk: the appeal waits for the term for responses, then is sent.
    _log_in(page, live_server.url, world.court.clerk.username)
    page.goto(f"{live_server.url}/en/acts/appeals/")
    expect(page.locator("#appeals-awaiting")).to_contain_text(world.case.number)
    expect(page.locator("#appeals-awaiting")).to_contain_text("24.09.2026")
    expect(page.locator("#ready-title + p")).to_have_text("None.")
    _clock_at(monkeypatch, READY)
    page.reload()
    expect(page.locator("#appeals-ready")).to_contain_text(world.case.number)
    page.get_by_role("button", name="Send the case to the higher court").click()
    expect(page.get_by_text("a judge is being drawn there")).to_be_visible()
    appeal.refresh_from_db()
    upper = appeal.appeal_case
    assert upper is not None
    assert upper.court_id == regional.court.pk
    assert upper.instance == Instance.APPEAL
    expect(page.locator("#appeals-sent")).to_contain_text(upper.number)

    # The draw's beacon round comes seconds after the commitment, on the frozen clock as on the wall clock.
    _clock_at(monkeypatch, READY, seconds=5)
    complete_pending_draws()
    upper.refresh_from_db()
    assert upper.judge == regional.judge

    # The regional court's judge drafts, signs and announces a resolution upholding the decision.
    signer = _signer_for(ca, regional.judge_user, live_server, settings)
    try:
        _log_in(page, live_server.url, regional.judge_user.username)
        page.goto(f"{live_server.url}/en/cases/{upper.number}/")
        page.locator("#act-kind").select_option("appeal-resolution")
        page.locator("#act-language").select_option("ru")
        page.locator("#act-outcome").select_option("upheld")
        page.get_by_role("button", name="Draft an act").click()
        expect(page.get_by_text("The draft is made from the case's facts.")).to_be_visible()
        page.locator("#id_reasoning").fill("Доводы жалобы не опровергают выводов суда первой инстанции.")
        page.locator("#id_operative").fill("Решение оставить без изменения, апелляционную жалобу — без удовлетворения.")
        page.get_by_role("button", name="Keep as a new version").click()
        expect(page.get_by_text("A new version of the draft is kept.")).to_be_visible()
        page.locator("#act-sign").click()
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.TorelikSigner !== undefined")
        page.get_by_role("button", name="Sign with the digital signature").click()
        expect(page.get_by_text("The act is signed with your digital signature and time-stamped.")).to_be_visible(
            timeout=15000
        )
        page.get_by_role("button", name="Announce the act").click()
        expect(page.get_by_text("The act is announced")).to_be_visible()
        expect(page.locator("#act-status")).to_have_text("in force")
        expect(page.locator("#chain-title")).to_be_visible()
    finally:
        signer.stop()

    # Torelik recorded the decision's entry into force by itself, and the writ.
    decision.refresh_from_db()
    assert decision.status == ActStatus.IN_FORCE
    assert decision.in_force_on == READY
    assert decision.in_force_basis["outcome"] == "upheld"
    event = CaseEvent.objects.filter(case=world.case, kind=CaseEventKind.ENTERED_INTO_FORCE).get()
    assert event.actor is None
    assert decision.writ is not None
    assert decision.writ.document_type.code == "writ_of_execution"

    # The decision's QR page: genuine; a copy with one byte changed is not.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/en/acts/verify/{decision.verify_token}/")
    expect(page.locator("#verify-genuine")).to_be_visible()
    assert decision.signed_file is not None
    with open_stored_file(decision.signed_file) as stream:
        signed = stream.read()
    genuine = tmp_path / "act.pdf"
    genuine.write_bytes(signed)
    page.locator("input[name=file]").set_input_files(str(genuine))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verify-result")).to_have_text(
        "The copy is the genuine act: the same bytes, a valid signature."
    )
    changed = bytearray(signed)
    middle = len(changed) // 3
    changed[middle] = (changed[middle] + 1) % 256
    tampered = tmp_path / "changed.pdf"
    tampered.write_bytes(bytes(changed))
    page.locator("input[name=file]").set_input_files(str(tampered))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verify-result")).to_contain_text("Not genuine")
