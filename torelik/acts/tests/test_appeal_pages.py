"""The appeal as the parties see it in the Judicial Office (until when responses may be filed, and
where the appeal stands) and the clerk's "ready to send since" marker, on hand-worked dates."""

import datetime as dt

import pytest
from django.test import Client

from torelik.acts import actions, appeals
from torelik.acts.models import Act, Appeal
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN
from torelik.core import clock
from torelik.courts.models import Court, CourtKind
from torelik.hearings.tests.factories import court_with_staff
from torelik.identity.models import User
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = pytest.mark.django_db


def _sign(act: Act, judge: User, ca: DemoCA) -> Act:
    prepared = actions.prepare_signing(act=act, actor=judge)
    assert judge.person is not None
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))
    return actions.sign_act(act=act, actor=judge, signature=signature)


def _appealed(ca: DemoCA, appellant_iin: str) -> tuple[World, Appeal]:
    """A decision announced on Tue 10 Nov 2026, appealed on Thu 12 Nov: responses until Thu 26 Nov,
    the case goes up from Fri 11 Dec (the day after the month's appeal term)."""
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
        judge = world.court.judge_user
        decision = _sign(
            actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge), judge, ca
        )
        actions.announce_act(act=decision, actor=judge)
    regional = court_with_staff("1900")
    Court.objects.filter(pk=regional.court.pk).update(kind=CourtKind.REGIONAL)
    Court.objects.filter(pk=world.court.court.pk).update(parent=regional.court)
    with clock.frozen_at(on(dt.date(2026, 11, 12))):
        appeal = appeals.lodge_appeal(
            lower_case=world.case, higher_court=regional.court, appellant_iin=appellant_iin, document=None, actor=None
        )
    return world, appeal


def _party_page(world: World, language: str) -> str:
    client = Client()
    client.force_login(world.claimant)
    page = client.get(f"/{language}/office/cases/{world.case.number}/")
    assert page.status_code == 200
    return page.content.decode()


def test_the_appellant_sees_the_term_for_responses_and_where_the_appeal_stands(ca: DemoCA, tsa: str) -> None:
    world, appeal = _appealed(ca, CLAIMANT_IIN)
    assert (appeal.responses_until, appeal.ready_on) == (dt.date(2026, 11, 26), dt.date(2026, 12, 11))
    with clock.frozen_at(on(dt.date(2026, 11, 20))):
        page = _party_page(world, "en")
        assert 'data-appeal-state="awaiting"' in page
        assert "Your appeal, filed on 12.11.2026" in page
        assert "The other parties may file their responses until 26.11.2026." in page
        assert "from 11.12.2026" in page
        ru = _party_page(world, "ru")
        assert "Ваша апелляционная жалоба" in ru
        assert "26.11.2026" in ru
        kk = _party_page(world, "kk")
        assert "Сіздің апелляциялық шағымыңыз" in kk
        judge = Client()
        judge.force_login(world.court.judge_user)
        journal = judge.get(f"/ru/cases/{world.case.number}/").content.decode()
        assert "подана апелляционная жалоба" in journal  # the system's reason, translated
        assert "appeal filed" not in journal
    with clock.frozen_at(on(dt.date(2026, 12, 14))):
        page = _party_page(world, "en")
        assert 'data-appeal-state="ready"' in page
        assert "Responses could be filed until 26.11.2026; the court is sending the case" in page
        sent = appeals.send_appeal(appeal=appeal, actor=world.court.clerk)
        assert sent.appeal_case is not None
        page = _party_page(world, "en")
        assert 'data-appeal-state="sent"' in page
        assert f"on 14.12.2026: case {sent.appeal_case.number} there." in page


def test_the_other_party_sees_until_when_it_may_respond(ca: DemoCA, tsa: str) -> None:
    # The company appeals: the claimant is the other side and may respond until Thu 26 Nov.
    world, _appeal = _appealed(ca, COMPANY_BIN)
    with clock.frozen_at(on(dt.date(2026, 11, 20))):
        page = _party_page(world, "en")
        assert "Appeal filed on 12.11.2026" in page
        assert "You may file a response to the appeal until 26.11.2026." in page
        assert "Вы можете подать отзыв на апелляционную жалобу до 26.11.2026." in _party_page(world, "ru")


def test_the_clerks_queue_says_since_when_an_appeal_is_ready_to_send(ca: DemoCA, tsa: str) -> None:
    world, _appeal = _appealed(ca, CLAIMANT_IIN)
    clerk = Client()
    clerk.force_login(world.court.clerk)
    with clock.frozen_at(on(dt.date(2026, 12, 10))):
        page = clerk.get("/en/acts/appeals/").content.decode()
        assert "ready to send since" not in page
    with clock.frozen_at(on(dt.date(2026, 12, 11))):
        assert "ready to send from today" in clerk.get("/en/acts/appeals/").content.decode()
    with clock.frozen_at(on(dt.date(2026, 12, 14))):  # Mon: three days after Fri 11 Dec
        page = clerk.get("/en/acts/appeals/").content.decode()
        assert 'data-ready-days="3"' in page
        assert "ready to send since 11.12.2026, 3 days ago" in page
        assert "готово к отправке с 11.12.2026, 3 дня назад" in clerk.get("/ru/acts/appeals/").content.decode()
