"""Subpoenas follow the hearing: issued with their codes when it is scheduled (in the same
transaction), revoked when it is postponed or cancelled, and numbered court by court."""

import datetime as dt

import pytest
from django.db import transaction

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.hearings.actions import cancel_hearing, postpone_hearing
from torelik.hearings.tests.factories import NOW, at
from torelik.notifications.models import Message
from torelik.summons import secret_codes
from torelik.summons.models import Subpoena, SubpoenaCounter, SubpoenaStatus
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIMANT_E164, DEFENDANT_E164, summoned

pytestmark = pytest.mark.django_db


def test_scheduling_issues_a_numbered_subpoena_per_participant_and_sends_its_code(outbox: Outbox) -> None:
    summons = summoned()
    subpoenas = list(Subpoena.objects.order_by("number"))
    assert [s.number for s in subpoenas] == ["0215-26-S-000001", "0215-26-S-000002"]
    assert [(s.person, s.phone, s.language) for s in subpoenas] == [
        (summons.claimant, CLAIMANT_E164, "ru"),
        (summons.defendant, DEFENDANT_E164, "kk"),
    ]
    assert all(s.status == SubpoenaStatus.ISSUED and s.hearing == summons.hearing for s in subpoenas)
    # The facts of the text: case number, date and time in the court's zone, courtroom.
    assert subpoenas[1].facts["case_number"] == summons.case.number
    assert (subpoenas[1].facts["date"], subpoenas[1].facts["time"]) == ("02.12.2026", "10:00")
    assert subpoenas[1].facts["courtroom"] == "101"
    # One SMS per participant, with a 6-digit code that is kept only as a keyed hash.
    codes = outbox.codes()
    assert set(codes) == {CLAIMANT_E164, DEFENDANT_E164}
    for subpoena in subpoenas:
        code = codes[subpoena.phone]
        assert len(code) == 6
        assert code.isdigit()
        assert code not in subpoena.code_hash
        assert subpoena.code_hash == secret_codes.code_hash(subpoena.phone, code)
    # At least 30 days, and never before the hearing is over.
    assert subpoenas[0].code_expires_at == NOW + dt.timedelta(days=30)
    # The outbox row is written with the subpoena, in the addressee's language, with the code.
    sms = Message.objects.get(cause="subpoena:0215-26-S-000002")
    assert (sms.template, sms.channel, sms.recipient_phone, sms.language) == (
        "hearing_summons",
        "sms",
        DEFENDANT_E164,
        "kk",
    )
    assert codes[DEFENDANT_E164] in sms.text
    assert summons.case.number in sms.text
    assert subpoenas[1].message_id == str(sms.public_id)
    issued = CaseEvent.objects.filter(case=summons.case, kind=CaseEventKind.SUBPOENA_ISSUED)
    assert sorted(e.data["subpoena"] for e in issued) == ["0215-26-S-000001", "0215-26-S-000002"]


def test_a_rolled_back_scheduling_leaves_no_subpoena_and_no_message(outbox: Outbox) -> None:
    class Abort(Exception):
        pass

    def schedule_then_fail() -> None:
        with transaction.atomic():
            summoned()
            assert Subpoena.objects.count() == 2
            raise Abort

    with pytest.raises(Abort):
        schedule_then_fail()
    assert not Subpoena.objects.exists()
    assert not Message.objects.exists()
    assert not CaseEvent.objects.filter(kind=CaseEventKind.SUBPOENA_ISSUED).exists()


def test_numbers_run_per_court(outbox: Outbox) -> None:
    summoned("0215")
    summoned("7585")
    assert sorted(Subpoena.objects.values_list("number", flat=True)) == [
        "0215-26-S-000001",
        "0215-26-S-000002",
        "7585-26-S-000001",
        "7585-26-S-000002",
    ]


def test_numbering_goes_on_from_the_counter_kept_before(outbox: Outbox) -> None:
    summons = summoned("0215")
    # As if 41 subpoenas of the court had been issued this year by the earlier code: the row is the same.
    SubpoenaCounter.objects.filter(court=summons.court.court, year=2026).update(last=41)
    with clock.frozen_at(NOW):
        new = postpone_hearing(
            hearing=summons.hearing, reason="неявка", actor=summons.court.secretary, starts_at=at(15), ends_at=at(16)
        )
    assert sorted(Subpoena.objects.filter(hearing=new).values_list("number", flat=True)) == [
        "0215-26-S-000042",
        "0215-26-S-000043",
    ]
    assert SubpoenaCounter.objects.get(court=summons.court.court, year=2026).last == 43


def test_postponing_to_a_new_time_revokes_the_old_subpoenas_and_issues_new_ones(outbox: Outbox) -> None:
    summons = summoned()
    with clock.frozen_at(NOW):
        new = postpone_hearing(
            hearing=summons.hearing,
            reason="неявка эксперта",
            actor=summons.court.secretary,
            starts_at=at(15),
            ends_at=at(16),
        )
    assert new is not None
    old = Subpoena.objects.filter(hearing=summons.hearing)
    assert {s.status for s in old} == {SubpoenaStatus.REVOKED}
    assert {s.revoke_reason for s in old} == {"неявка эксперта"}
    fresh = Subpoena.objects.filter(hearing=new)
    assert fresh.count() == 2
    assert {s.facts["time"] for s in fresh} == {"15:00"}
    # The first SMS had not gone out yet: they are stopped (no revocation notice), the new ones go.
    templates = [m.template for m in outbox]
    assert templates.count("hearing_summons") == 4
    assert templates.count("document_received") == 0
    statuses = dict(Message.objects.filter(template="hearing_summons").values_list("cause", "status"))
    assert sorted(statuses[f"subpoena:{s.number}"] for s in old) == ["expired", "expired"]
    assert sorted(statuses[f"subpoena:{s.number}"] for s in fresh) == ["queued", "queued"]
    assert CaseEvent.objects.filter(kind=CaseEventKind.SUBPOENA_REVOKED).count() == 2


def test_a_revoked_subpoena_that_may_have_reached_its_addressee_is_withdrawn_by_a_notice(outbox: Outbox) -> None:
    summons = summoned()
    Message.objects.filter(template="hearing_summons").update(status="sent", attempts=1)
    with clock.frozen_at(NOW):
        cancel_hearing(hearing=summons.hearing, reason="иск отозван", actor=summons.court.secretary)
    assert [m.template for m in outbox].count("document_received") == 2


def test_cancelling_revokes(outbox: Outbox) -> None:
    summons = summoned()
    with clock.frozen_at(NOW):
        cancel_hearing(hearing=summons.hearing, reason="иск отозван", actor=summons.court.secretary)
    assert set(Subpoena.objects.values_list("status", flat=True)) == {SubpoenaStatus.REVOKED}
