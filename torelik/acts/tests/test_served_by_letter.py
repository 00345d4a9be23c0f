"""An act served on paper: a party with neither a phone nor a Judicial Office account gets the signed act
by a hybrid letter when it is announced; the day the post delivers it is the act's delivery to that
party, and the appeal term that runs from service counts from that day (hand-worked dates)."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from torelik.acts import actions
from torelik.acts.models import Act, ActService, ServiceChannel
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached
from torelik.post import actions as post
from torelik.post.models import EventSource, Letter, LetterKind, LetterStatus
from torelik.post.tasks import assemble_batches
from torelik.workers.runner import run_ready

pytestmark = pytest.mark.django_db

ASTANA = "010000, Астана, Есіл ауданы, Мәңгілік Ел даңғылы, д. 8, оф. 3"


def _announced(world: World, ca: DemoCA, kind: str = "civil-court-order") -> Act:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind=kind, language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    assert judge.person is not None
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))
    act = actions.sign_act(act=act, actor=judge, signature=signature)
    return actions.announce_act(act=act, actor=judge)


def _delivered(letter: Letter, at: dt.datetime) -> None:
    reports = [
        post.Report(
            barcode=letter.barcode or "", event_id=f"{letter.barcode}-1", code="ACCEPTED", at=at - dt.timedelta(days=3)
        ),
        post.Report(
            barcode=letter.barcode or "", event_id=f"{letter.barcode}-9", code="DELIVERED", at=at, place="010000 ОПС"
        ),
    ]
    with clock.frozen_at(at + dt.timedelta(days=2)):  # the post reports it two days later
        post.record_reports(reports, source=EventSource.WEBHOOK)


def test_a_party_without_phone_or_account_is_served_by_letter_and_the_appeal_term_runs_from_delivery(
    ca: DemoCA, tsa: str
) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    world.defendant_party.address = ASTANA
    world.defendant_party.save(update_fields=["address"])
    with clock.frozen_at(on(dt.date(2026, 11, 11))):
        act = _announced(world, ca)
    # The claimant has a phone (SMS, Judicial Office); the defendant company has neither: a letter.
    letter = Letter.objects.get(case=world.case)
    assert letter.party_id == world.defendant_party.pk
    assert letter.kind == LetterKind.HYBRID
    assert letter.cause == f"act:{act.public_id}:{world.defendant_party.public_id}"
    assert letter.enclosures[0]["kind"] == "act"
    assert letter.enclosures[0]["reference"] == str(act.public_id)
    assert letter.enclosures[0]["text"]  # the act's text goes on paper
    assert letter.barcode

    with clock.frozen_at(on(dt.date(2026, 11, 11), 15)):
        assemble_batches.call()
        run_ready()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ACCEPTED
    # The claimant reads the act in the Judicial Office on Thursday 12 November.
    with clock.frozen_at(on(dt.date(2026, 11, 12))):
        actions.record_service(act=act, party=world.claimant_party, channel=ServiceChannel.OFFICE, actor=None)
    act.refresh_from_db()
    assert act.appeal_term_end is None  # the defendant does not have it yet

    # The post delivers it on Tuesday 17 November 2026 (reported on the 19th).
    _delivered(letter, on(dt.date(2026, 11, 17), 12))
    service = ActService.objects.get(act=act, party=world.defendant_party)
    assert service.channel == ServiceChannel.POST
    assert service.served_at == on(dt.date(2026, 11, 17), 12)
    entry = CaseEvent.objects.get(case=world.case, kind=CaseEventKind.ACT_SERVED, data__channel="post")
    assert entry.data["served_on"] == "2026-11-17"
    assert entry.data["letter"] == letter.barcode
    # Ten working days from Tue 17 Nov 2026 (Wed 18 … Tue 1 Dec: no holiday in between) → Tue 1 Dec.
    act.refresh_from_db()
    assert act.appeal_term_end == dt.date(2026, 12, 1)


def test_the_office_sends_an_act_by_registered_letter_from_the_act_page(ca: DemoCA, tsa: str) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    Letter.objects.all().delete()
    with clock.frozen_at(on(dt.date(2026, 11, 11))):
        act = _announced(world, ca, kind="civil-decision")
    client = Client()
    client.force_login(world.court.clerk)
    world.claimant_party.address = ASTANA
    world.claimant_party.save(update_fields=["address"])
    with clock.frozen_at(on(dt.date(2026, 11, 12))):
        response = client.post(
            f"/ru/acts/{act.public_id}/by-post/",
            {"party": str(world.claimant_party.public_id), "kind": "registered"},
            follow=True,
        )
        refused: Any = client.post(
            f"/ru/acts/{act.public_id}/by-post/", {"party": str(world.claimant_party.public_id), "kind": "pigeon"}
        )
    assert response.status_code == 200
    letter = Letter.objects.get(party=world.claimant_party)
    assert letter.kind == LetterKind.REGISTERED
    assert str(letter.barcode) in response.content.decode()
    assert refused.status_code == 302  # the page says why; nothing more is sent
    assert Letter.objects.filter(party=world.claimant_party).count() == 1
    assert json.dumps(letter.enclosures, ensure_ascii=False).count(str(act.public_id)) == 1
