"""The court's choice of each party's notice channel from the case page, the per-party list of notices
across channels, and a revoked subpoena's letter withdrawn in the revocation's own transaction."""

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from torelik.cases.models import Case, CaseEvent, CaseEventKind, Party, PartyRole
from torelik.core import clock
from torelik.hearings.actions import ParticipantInput, cancel_hearing, schedule_hearing
from torelik.hearings.models import ParticipantRole
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff, person
from torelik.notifications.models import Message
from torelik.post import actions as post
from torelik.post.models import Letter, LetterKind, LetterStatus
from torelik.post.queries import needing_action
from torelik.summons import actions
from torelik.summons.errors import SummonsForbiddenError
from torelik.summons.models import NoticeChannel, NoticeChoice, Subpoena
from torelik.summons.queries import party_notices
from torelik.summons.tests.factories import CLAIMANT_E164, CLAIMANT_PHONE

pytestmark = pytest.mark.django_db

ASTANA = "010000, Астана, Есіл ауданы, Мәңгілік Ел даңғылы, д. 8, кв. 12"
ALMATY = "050000, Алматы, Бостандық ауданы, Абай даңғылы, д. 10, кв. 5"


def _case() -> tuple[Court_, Case, list[Party]]:
    court = court_with_staff("0215")
    case = case_in(court)
    parties = [
        Party.objects.create(
            case=case, role=PartyRole.CLAIMANT, person=person("Сейткалиева"), phone=CLAIMANT_PHONE, address=ALMATY
        ),
        Party.objects.create(
            case=case, role=PartyRole.DEFENDANT, person=person("Әбілқасымов"), email="abilkasymov@example.kz"
        ),
        Party.objects.create(case=case, role=PartyRole.THIRD_PARTY, person=person("Жоқов"), address=ASTANA),
    ]
    return court, case, parties


def _schedule(court: Court_, case: Case, parties: list[Party], day: int = 21) -> None:
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=case,
            courtroom=court.room,
            starts_at=at(10, day=dt.date(2026, 12, day)),
            ends_at=at(11, day=dt.date(2026, 12, day)),
            actor=court.secretary,
            participants=[
                ParticipantInput(role=ParticipantRole.PARTY, person=p.person) for p in parties if p.person is not None
            ],
        )


def test_the_courts_choice_of_channel_decides_how_each_party_is_summoned() -> None:
    court, case, (claimant, defendant, third) = _case()
    with clock.frozen_at(NOW):
        actions.choose_channel(case=case, party=claimant, channel=NoticeChannel.REGISTERED, actor=court.secretary)
        actions.choose_channel(case=case, party=defendant, channel=NoticeChannel.ESUBPOENA, actor=court.secretary)
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.NOTICE_CHANNEL_CHOSEN).count() == 2
    _schedule(court, case, [claimant, defendant, third])
    by_person: dict[int | None, Subpoena] = {s.person_id: s for s in Subpoena.objects.filter(case=case)}
    assert by_person[claimant.person_id].channel == NoticeChannel.REGISTERED
    assert by_person[defendant.person_id].channel == NoticeChannel.ESUBPOENA
    assert by_person[third.person_id].channel == NoticeChannel.HYBRID  # the rules: no phone → a hybrid letter
    # The claimant has a phone, but the court chose paper: no SMS, a registered letter.
    assert not Message.objects.filter(recipient_phone=CLAIMANT_E164).exists()
    assert Letter.objects.get(party=claimant).kind == LetterKind.REGISTERED
    # The defendant: the electronic subpoena by e-mail, no letter.
    assert Message.objects.filter(recipient_email="abilkasymov@example.kz", channel="email").count() == 1
    assert not Letter.objects.filter(party=defendant).exists()
    assert Letter.objects.get(party=third).kind == LetterKind.HYBRID
    # A registered letter chosen by the court is no SMS to follow up with another letter.
    with clock.frozen_at(NOW + dt.timedelta(hours=5)):
        assert actions.follow_undelivered_sms() == 0

    with translation.override("en"):
        rows = {r.party.pk: r for r in party_notices(case)}
    assert rows[claimant.pk].chosen == NoticeChannel.REGISTERED
    assert rows[claimant.pk].default == NoticeChannel.SMS
    assert rows[third.pk].default == NoticeChannel.HYBRID
    assert {n.channel for n in rows[claimant.pk].notices} == {"registered letter"}
    assert {n.channel for n in rows[defendant.pk].notices} == {"e-mail", "electronic subpoena by e-mail"}
    assert {n.channel for n in rows[third.pk].notices} == {"hybrid letter"}


def test_only_the_courts_staff_choose_and_bad_choices_are_refused() -> None:
    court, case, (claimant, _defendant, _third) = _case()
    outsider = court_with_staff("7585").secretary
    with pytest.raises(SummonsForbiddenError):
        actions.choose_channel(case=case, party=claimant, channel=NoticeChannel.SMS, actor=outsider)
    client = Client()
    client.force_login(court.secretary)
    with clock.frozen_at(NOW):
        bad = client.post(
            f"/en/summons/cases/{case.number}/notices/channel/",
            {"party": str(claimant.public_id), "channel": "pigeon"},
            follow=True,
        )
        no_party = client.post(
            f"/en/summons/cases/{case.number}/notices/channel/", {"party": "x", "channel": "sms"}, follow=True
        )
        good = client.post(
            f"/en/summons/cases/{case.number}/notices/channel/",
            {"party": str(claimant.public_id), "channel": "hybrid"},
            follow=True,
        )
    assert bad.status_code == 200
    assert "Choose SMS, an electronic subpoena, a registered or a hybrid letter." in bad.content.decode()
    assert "Choose a party of this case." in no_party.content.decode()
    assert "now go by: hybrid letter" in good.content.decode()
    assert NoticeChoice.objects.get(party=claimant).channel == NoticeChannel.HYBRID
    other = Client()
    other.force_login(outsider)
    assert other.get(f"/en/summons/cases/{case.number}/notices/").status_code == 404


def test_the_case_page_lists_each_partys_notices_across_channels_for_staff() -> None:
    court, case, parties = _case()
    _schedule(court, case, parties)
    client = Client()
    client.force_login(court.secretary)
    with clock.frozen_at(NOW):
        page = client.get(f"/en/cases/{case.number}/")
        panel = client.get(f"/en/summons/cases/{case.number}/notices/", HTTP_HX_REQUEST="true")
    assert 'id="notices"' in page.content.decode()
    html = panel.content.decode()
    assert panel.status_code == 200
    assert html.count('class="party-notices"') == 3
    assert "SMS" in html
    assert "hybrid letter" in html
    for letter in Letter.objects.filter(case=case, barcode__isnull=False):
        assert str(letter.barcode) in html
    assert "Address without a postal index" in html  # the defendant's letter waits for its address


def test_a_revoked_subpoenas_letter_is_cancelled_or_marked_in_the_same_transaction() -> None:
    court, case, (claimant, _defendant, third) = _case()
    with clock.frozen_at(NOW):
        actions.choose_channel(case=case, party=claimant, channel=NoticeChannel.REGISTERED, actor=court.secretary)
    _schedule(court, case, [claimant, third])
    registered, hybrid = Letter.objects.get(party=claimant), Letter.objects.get(party=third)
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        post.hand_over(court=court.court, day=clock.today(), actor=court.clerk)  # the registered one leaves
    hearing = case.hearings.get()

    # A revocation rolled back leaves the letters as they were: the withdrawal is in its transaction.
    def cancel_then_fail() -> None:
        with transaction.atomic():
            cancel_hearing(hearing=hearing, reason="the judge is ill", actor=court.secretary)
            raise RuntimeError

    with clock.frozen_at(NOW + dt.timedelta(hours=2)), pytest.raises(RuntimeError):
        cancel_then_fail()
    hybrid.refresh_from_db()
    assert hybrid.status == LetterStatus.PREPARED
    assert hybrid.withdrawn_at is None

    with clock.frozen_at(NOW + dt.timedelta(hours=2)):
        cancel_hearing(hearing=hearing, reason="the judge is ill", actor=court.secretary)
    hybrid.refresh_from_db()
    registered.refresh_from_db()
    assert hybrid.status == LetterStatus.CANCELLED  # never handed over: it never goes out
    assert registered.status == LetterStatus.ACCEPTED  # already with the post: it goes on, marked
    assert registered.withdrawn_at is not None
    assert registered.withdrawn_reason == "the judge is ill"
    withdrawals = CaseEvent.objects.filter(case=case, kind=CaseEventKind.LETTER_WITHDRAWN)
    assert sorted(e.data["cancelled"] for e in withdrawals) == [False, True]
    assert post.assemble_batch(court=court.court) is None  # the cancelled letter is in no batch
    # A withdrawn letter that comes back is no work for the office.
    with clock.frozen_at(NOW + dt.timedelta(days=5)):
        post.record_reports(
            [post.Report(barcode=registered.barcode or "", event_id="r-1", code="RETURNED", at=clock.now())],
            source="webhook",
        )
    assert registered not in list(needing_action([court.court.pk]))
    states = {n.detail: n.state for row in party_notices(case) for n in row.notices if n.detail}
    assert states[str(registered.barcode)] == "withdrawn"
    assert states[str(hybrid.barcode)] == "withdrawn"


def test_a_letter_withdrawn_in_a_batch_that_then_fails_is_cancelled_not_sent_again() -> None:
    court, case, (_claimant, _defendant, third) = _case()
    _schedule(court, case, [third])
    with clock.frozen_at(NOW + dt.timedelta(minutes=30)):
        batch = post.assemble_batch(court=court.court)
    assert batch is not None
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        cancel_hearing(hearing=case.hearings.get(), reason="the judge is ill", actor=court.secretary)
    letter = Letter.objects.get(party=third)
    assert (letter.status, letter.withdrawn_reason) == (LetterStatus.BATCHED, "the judge is ill")
    post.give_up(batch_id=batch.pk, error="the operator did not answer in time")
    letter.refresh_from_db()
    assert (letter.status, letter.batch_id) == (LetterStatus.CANCELLED, None)
    assert post.assemble_batch(court=court.court) is None
