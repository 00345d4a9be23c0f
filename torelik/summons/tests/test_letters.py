"""The post's "done when", end to end: scheduling a hearing sends SMS to the parties with phones and a
hybrid letter to the one without; the simulated operator reports over the following days (by the
tracking poll and by its signed webhook); "served" enters the case with its date and opens the term that
runs from service on that date; an undelivered letter is in the office's worklist; the statistics page
shows the share of final statuses."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from torelik.cases.models import Case, CaseEvent, CaseEventKind, Party, PartyRole
from torelik.core import clock
from torelik.deadlines.models import Responsible, Term, TermRule, TermUnit, Trigger
from torelik.deadlines.rule_book import forget_rules
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.models import ParticipantRole
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff, person
from torelik.identity.models import Language
from torelik.notifications.models import Message, MessageStatus
from torelik.post import operator_api, s10
from torelik.post.models import Batch, BatchStatus, EventSource, Letter, LetterKind, LetterStatus
from torelik.post.simulator import Simulator
from torelik.post.tasks import assemble_batches, poll_tracking
from torelik.summons.actions.letters import follow_undelivered_sms
from torelik.summons.models import Subpoena
from torelik.summons.tests.factories import CLAIMANT_E164, CLAIMANT_PHONE
from torelik.workers.runner import run_ready

pytestmark = pytest.mark.django_db

ASTANA = "010000, Астана, Есіл ауданы, Мәңгілік Ел даңғылы, д. 8, кв. 12"
NOWHERE = "990000, Ақмола облысы, Көкшетау, Жоқ көшесі, д. 1"  # the simulator's index of no such address


def _rule_from_service() -> None:
    """A party's term of ten working days that runs from service by post (test data, like a loaded rule)."""
    TermRule.objects.create(
        code="test-from-service",
        slot="from-service",
        name_kk="Тапсырылған күннен",
        name_ru="Со дня вручения",
        name_en="From service",
        starts_on=Trigger.SERVED,
        ends_on=["decided"],
        lapses_on=["closed"],
        amount=10,
        unit=TermUnit.WORKING_DAYS,
        responsible=Responsible.PARTY,
        legal_basis="test",
        effective_from=dt.date(2016, 1, 1),
        enabled=True,
    )
    forget_rules()


def _scheduled() -> tuple[Court_, Case]:
    court = court_with_staff("0215")
    case = case_in(court)
    claimant, defendant, third = person("Сейткалиева"), person("Әбілқасымов"), person("Жоқов")
    Party.objects.create(
        case=case, role=PartyRole.CLAIMANT, person=claimant, phone=CLAIMANT_PHONE, preferred_language=Language.RUSSIAN
    )
    Party.objects.create(
        case=case, role=PartyRole.DEFENDANT, person=defendant, address=ASTANA, preferred_language=Language.KAZAKH
    )
    Party.objects.create(
        case=case, role=PartyRole.THIRD_PARTY, person=third, address=NOWHERE, preferred_language=Language.KAZAKH
    )
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=case,
            courtroom=court.room,
            starts_at=at(10, day=dt.date(2026, 12, 21)),
            ends_at=at(11, day=dt.date(2026, 12, 21)),
            actor=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.PARTY, person=p) for p in (claimant, defendant, third)],
        )
    return court, case


def _webhook(client: Client, simulator: Simulator, now: dt.datetime) -> dict[str, int]:
    body = json.dumps({"events": simulator.due_webhook(now)}).encode()
    signature = Simulator.signed(body, "test-post-webhook-secret", int(now.timestamp()))
    with clock.frozen_at(now):
        response = client.post(
            "/api/v1/post/webhook", body, content_type="application/json", HTTP_X_POST_SIGNATURE=signature
        )
    assert response.status_code == 200, response.content
    answer: dict[str, int] = response.json()
    return answer


def test_a_hearing_reaches_every_party_and_service_by_post_moves_the_term(settings: object) -> None:
    _rule_from_service()
    court, case = _scheduled()
    # SMS to the party with a phone; a hybrid letter (subpoena enclosed) to each party without one.
    assert Message.objects.filter(recipient_phone=CLAIMANT_E164, template="hearing_summons").count() == 1
    letters = {x.recipient_name.split()[0]: x for x in Letter.objects.filter(case=case)}
    assert set(letters) == {"Әбілқасымов", "Жоқов"}
    served, lost = letters["Әбілқасымов"], letters["Жоқов"]
    subpoena = Subpoena.objects.get(case=case, person__surname="Әбілқасымов")
    assert served.kind == LetterKind.HYBRID
    assert served.enclosures[0]["kind"] == "subpoena"
    assert served.enclosures[0]["reference"] == subpoena.number
    assert served.postal_index == "010000"
    assert served.address["locality"] == "Астана"
    item = s10.parse(served.barcode or "")
    assert item is not None
    assert item.conforming
    assert item.country == "KZ"
    assert (served.weight_class, served.cost) == ("w20", 200)  # the hybrid rate of 2026 for up to 20 g
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.LETTER_SENT).count() == 2

    # The half-hourly job batches the letters; a worker hands the batch to the operator, who acknowledges.
    with clock.frozen_at(NOW + dt.timedelta(minutes=30)):
        assemble_batches.call()
        run_ready()
    batch = Batch.objects.get()
    assert (batch.status, batch.size, batch.accepted) == (BatchStatus.DELIVERED, 2, 2)
    served.refresh_from_db()
    assert served.status == LetterStatus.ACCEPTED

    # The operator's own account of the letter: its timeline is drawn from the barcode.
    simulator = operator_api.simulator()
    timeline = Simulator.timeline(served.barcode or "", NOW + dt.timedelta(minutes=30), "010000")
    assert timeline[-1]["code"] == "DELIVERED"
    delivered_at = dt.datetime.fromisoformat(timeline[-1]["at"])

    # Next day: the tracking poll finds it on its way.
    with clock.frozen_at(NOW + dt.timedelta(days=1, hours=8)):
        poll_tracking.call()
    served.refresh_from_db()
    assert served.status == LetterStatus.IN_TRANSIT
    assert not CaseEvent.objects.filter(case=case, kind=CaseEventKind.LETTER_DELIVERED).exists()

    # A week later the operator's webhook brings the rest (what the poll saw is not written twice).
    later = NOW + dt.timedelta(days=7)
    result = _webhook(Client(), simulator, later)
    assert result["repeated"] > 0
    served.refresh_from_db()
    lost.refresh_from_db()
    assert served.status == LetterStatus.DELIVERED
    assert served.final_at == delivered_at
    assert lost.status == LetterStatus.UNDELIVERABLE
    assert lost.reason == "no_such_address"
    codes = list(
        served.events.filter(source__in=[EventSource.POLL, EventSource.WEBHOOK]).values_list("code", flat=True)
    )
    assert codes == [e["code"] for e in timeline]  # one history, each step once

    # "Served" is in the case with its date and postal record, and the term runs from that date.
    record = CaseEvent.objects.get(case=case, kind=CaseEventKind.LETTER_DELIVERED)
    served_on = timezone.localtime(delivered_at).date()
    assert record.data["date"] == served_on.isoformat()
    assert record.data["barcode"] == served.barcode
    assert record.data["place"] == "010000 ОПС"
    term = Term.objects.get(case=case, rule__code="test-from-service")
    assert term.event_date == served_on
    assert term.event_date < later.date()  # from the day of service, not the day the post reported it
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.LETTER_UNDELIVERABLE).count() == 1

    # The undelivered letter is in the office's worklist, with its next step.
    client = Client()
    client.force_login(court.secretary)
    with clock.frozen_at(later):
        page = client.get("/en/post/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="letter-{lost.public_id}"' in html
    assert "there is no such address" in html
    assert "Find the addressee" in html
    assert f'id="letter-{served.public_id}"' not in html

    # The statistics: two letters sent, both with a final status, half delivered.
    with clock.frozen_at(later):
        stats = client.get("/en/post/statistics/")
    text = stats.content.decode()
    assert stats.status_code == 200
    assert '<td data-figure="sent">2</td>' in text
    assert "2 (100.0 %)" in text
    assert "50.0 %" in text


def test_an_sms_not_delivered_in_time_is_followed_by_a_letter(settings: object) -> None:
    court = court_with_staff("0215")
    case = case_in(court)
    claimant = person("Сейткалиева")
    Party.objects.create(case=case, role=PartyRole.CLAIMANT, person=claimant, phone=CLAIMANT_PHONE, address=ASTANA)
    with clock.frozen_at(NOW):
        schedule_hearing(
            case=case,
            courtroom=court.room,
            starts_at=at(10, day=dt.date(2026, 12, 21)),
            ends_at=at(11, day=dt.date(2026, 12, 21)),
            actor=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.PARTY, person=claimant)],
        )
    assert not Letter.objects.exists()
    with clock.frozen_at(NOW + dt.timedelta(minutes=60)):
        assert follow_undelivered_sms() == 0  # within the configured two hours: wait
    with clock.frozen_at(NOW + dt.timedelta(minutes=121)):
        assert follow_undelivered_sms() == 1
        assert follow_undelivered_sms() == 0  # never two letters
    letter = Letter.objects.get()
    assert letter.cause == f"subpoena:{Subpoena.objects.get().number}"
    # A delivered SMS needs no letter.
    Message.objects.update(status=MessageStatus.DELIVERED)
    Letter.objects.all().delete()
    with clock.frozen_at(NOW + dt.timedelta(minutes=121)):
        assert follow_undelivered_sms() == 0


def test_the_hearings_notices_list_shows_sms_and_letters_together() -> None:
    court, case = _scheduled()
    hearing = case.hearings.get()
    client = Client()
    client.force_login(court.secretary)
    with clock.frozen_at(NOW):
        page = client.get(f"/en/summons/hearings/{hearing.public_id}/", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200
    assert "by SMS" in html
    assert html.count("by letter") == 2
    for letter in Letter.objects.filter(case=case):
        assert str(letter.barcode) in html
