"""Pages of acts for the office and the judge: a delivery by post noted (the term that runs from service
starts once every party has the act), an appeal registered at the office, and who may not."""

import datetime as dt

import pytest
from django.test import Client

from torelik.acts import actions
from torelik.acts.models import Act, ActService, ActStatus
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.core import clock
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = pytest.mark.django_db


def _announced(world: World, ca: DemoCA, kind: str = "civil-decision") -> Act:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind=kind, language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    assert judge.person is not None
    actions.sign_act(
        act=act,
        actor=judge,
        signature=sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING)),
    )
    return actions.announce_act(act=act, actor=judge)


def test_the_office_notes_deliveries_by_post_and_the_term_from_service_starts_with_the_last(
    ca: DemoCA, tsa: str
) -> None:
    world = heard_case()
    # A court order: the debtor's objection term runs from its delivery (10 working days).
    act = _announced(world, ca, "civil-court-order")
    assert act.appeal_term_end is None
    clerk = Client()
    clerk.force_login(world.court.clerk)
    with clock.frozen_at(on(dt.date(2026, 12, 7))):
        clerk.post(
            f"/en/acts/{act.public_id}/delivery/", {"party": str(world.claimant_party.public_id), "channel": "post"}
        )
    act.refresh_from_db()
    assert act.appeal_term_end is None  # the debtor has not received it yet
    with clock.frozen_at(on(dt.date(2026, 12, 11))):  # a Friday
        page = clerk.post(
            f"/en/acts/{act.public_id}/delivery/",
            {"party": str(world.defendant_party.public_id), "channel": "post"},
            follow=True,
        )
    assert "The delivery is noted." in page.content.decode()
    act.refresh_from_db()
    # From Fri 11 Dec 2026: 14, 15, (16 Dec Independence Day), 17, 18, 21, 22, 23, 24, 25, 28 Dec:
    # the 10th working day is Mon 28 Dec 2026.
    assert act.appeal_term_end == dt.date(2026, 12, 28)
    assert ActService.objects.filter(act=act).count() == 2


def test_the_office_registers_an_appeal_and_a_party_may_not(ca: DemoCA, tsa: str) -> None:
    world = heard_case()
    act = _announced(world, ca)
    party = Client()
    party.force_login(world.claimant)
    party.post(f"/en/acts/{act.public_id}/appeal/", {"filed_on": clock.today().isoformat()})
    assert Act.objects.get(pk=act.pk).status == ActStatus.ANNOUNCED
    clerk = Client()
    clerk.force_login(world.court.clerk)
    page = clerk.post(f"/ru/acts/{act.public_id}/appeal/", {"filed_on": clock.today().isoformat()}, follow=True)
    assert page.status_code == 200
    assert Act.objects.get(pk=act.pk).status == ActStatus.APPEALED
    bad = clerk.post(f"/en/acts/{act.public_id}/appeal/", {"filed_on": "not a day"}, follow=True)
    assert bad.status_code == 200
    assert "Give the day the appeal was brought." in bad.content.decode()


def test_a_party_does_not_see_a_draft_and_a_stranger_sees_nothing(world_draft: tuple[World, Act]) -> None:
    world, act = world_draft
    party = Client()
    party.force_login(world.claimant)
    assert party.get(f"/en/acts/{act.public_id}/").status_code == 404
    judge = Client()
    judge.force_login(world.court.judge_user)
    page = judge.get(f"/kk/acts/{act.public_id}/")
    assert page.status_code == 200
    assert "Кіріспе бөлім" in page.content.decode()
    preview = judge.get(f"/kk/acts/{act.public_id}/preview.pdf")
    assert preview["Content-Type"] == "application/pdf"
    assert Client().get(f"/en/acts/{act.public_id}/").status_code == 302  # to the login page


@pytest.fixture
def world_draft() -> tuple[World, Act]:
    world = heard_case()
    act = actions.draft_act(case=world.case, kind="civil-decision", language="kk", actor=world.court.judge_user)
    return world, act


def test_the_verification_page_says_when_the_signature_was_stamped_after_the_day_of_signing(
    ca: DemoCA, tsa: str
) -> None:
    world = heard_case()
    act = _announced(world, ca)
    page = Client().get(f"/en/acts/verify/{act.verify_token}/").content.decode()
    assert 'id="verify-timestamp"' in page
    assert "verify-stamped-later" not in page  # signed and stamped the same day
    # An act of the demo's history: signed on the day of its decision, stamped when the demo was seeded.
    Act.objects.filter(pk=act.pk).update(signed_at=act.signed_at - dt.timedelta(days=40))  # type: ignore[operator]
    page = Client().get(f"/en/acts/verify/{act.verify_token}/").content.decode()
    assert "The signature's trusted timestamp is later than the date of signing" in page
    check = Client().get(f"/api/v1/acts/verify/{act.verify_token}").json()
    assert check["timestamped_at"] is not None
    assert check["signed_on"] < check["timestamped_at"][:10]
