"""The issue's Done-when for the outbound half (issue 27): a decision in force reaches the enforcement
simulator with its writ, signed, once, though the simulator was down for a while; a sentence reaches
corrections; refusals become dead letters at once; a late answer is retried and kept once. The simulator
is the real program (tools/partners/simulator.py) on a free port."""

import base64
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from torelik.acts.models import Act
from torelik.acts.tasks import enter_acts_into_force
from torelik.acts.tests.factories import on
from torelik.cases.tests.factories import DEFENDANT_IIN
from torelik.core import clock
from torelik.exchange import delivery
from torelik.exchange.models import DeliveryStatus, OutboundEvent
from torelik.exchange.tests import factories
from torelik.exchange.tests.simulator import Simulator, running

pytestmark = pytest.mark.django_db

IN_FORCE = on(factories.IN_FORCE_ON, hour=0)


def test_a_decision_in_force_reaches_enforcement_with_its_writ_signed_once_though_the_partner_was_down(
    partners_port: int, trust_root: Path
) -> None:
    act = factories.decision_with_writ()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
    act.refresh_from_db()
    assert act.writ is not None
    event = OutboundEvent.objects.get(partner="enforcement")
    assert (event.event_type, event.schema_version, event.case_id) == ("writ_in_force", 1, act.case_id)
    # Nobody listens yet: the partner is down. Two tries fail, each waits twice as long as the one before.
    with clock.frozen_at(IN_FORCE):
        first = delivery.deliver_due("enforcement")
    event.refresh_from_db()
    assert (first.retried, event.status, event.attempts) == (1, DeliveryStatus.PENDING, 1)
    assert event.next_attempt_at == IN_FORCE + dt.timedelta(seconds=2)
    assert "ConnectError" in event.last_error
    with clock.frozen_at(IN_FORCE + dt.timedelta(seconds=1)):
        assert delivery.deliver_due("enforcement").retried == 0  # not due yet
    with clock.frozen_at(IN_FORCE + dt.timedelta(seconds=2)):
        delivery.deliver_due("enforcement")
    event.refresh_from_db()
    assert (event.attempts, event.next_attempt_at) == (2, IN_FORCE + dt.timedelta(seconds=6))
    # The partner comes back.
    with running(partners_port, trust_root=trust_root) as simulator:
        with clock.frozen_at(IN_FORCE + dt.timedelta(seconds=6)):
            assert delivery.deliver_due("enforcement").delivered == 1
            assert delivery.deliver_due("enforcement").delivered == 0  # nothing is sent twice
        received = simulator.received("enforcement")
    event.refresh_from_db()
    assert (event.status, event.attempts, event.receipt) == (DeliveryStatus.DELIVERED, 3, "ENF-00000001")
    assert len(received) == 1
    kept = received[0]
    assert kept["event_id"] == str(event.public_id)
    assert kept["times"] == 1
    # Signed with the court's seal, which the simulator checked up to the demo CA's root.
    assert act.case.court.code in kept["signer"]
    payload = kept["payload"]
    assert payload["case_number"] == act.case.number
    assert payload["in_force_on"] == "2026-12-18"
    assert payload["debtors"][0]["bin"] == "940140000385"
    assert payload["creditors"][0]["iin"] == "871008401427"
    writ = base64.b64decode(payload["writ"]["content_base64"])
    assert writ.startswith(b"%PDF")
    assert hashlib.sha256(writ).hexdigest() == payload["writ"]["sha256"] == act.writ.file.sha256


def test_a_sentence_in_force_reaches_corrections(simulator: Simulator) -> None:
    act = factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
        delivery.deliver_due("corrections")
    assert Act.objects.get(pk=act.pk).writ is None  # a sentence has no writ: nothing for enforcement
    assert not OutboundEvent.objects.filter(partner="enforcement").exists()
    received = simulator.received("corrections")
    assert [r["event_type"] for r in received] == ["sentence_in_force"]
    payload = received[0]["payload"]
    assert payload["convicted"] == [
        {"role": "accused", "name": "Сапаров Ерлан Маратович", "iin": DEFENDANT_IIN},
    ]
    assert payload["operative_part"].startswith("Назначить наказание")
    assert OutboundEvent.objects.get(partner="corrections").status == DeliveryStatus.DELIVERED


def test_a_schema_version_the_partner_does_not_know_is_a_dead_letter_with_its_answer(simulator: Simulator) -> None:
    simulator.control(known_versions={"corrections": {"sentence_in_force": [2]}})
    factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
        result = delivery.deliver_due("corrections")
    event = OutboundEvent.objects.get(partner="corrections")
    assert (result.dead, event.status, event.attempts, event.last_status_code) == (1, DeliveryStatus.DEAD, 1, 422)
    assert event.last_error.startswith("unknown_schema_version: corrections knows sentence_in_force in version(s) 2")
    assert simulator.received("corrections") == []


def test_a_late_answer_is_tried_again_and_the_partner_keeps_the_event_once(simulator: Simulator, settings: Any) -> None:
    settings.TORELIK_EXCHANGE_PARTNERS = {"corrections": {"timeout": 0.5}}
    simulator.control(late_rate=1.0, latency=1.5)
    factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
        assert delivery.deliver_due("corrections").retried == 1
    event = OutboundEvent.objects.get(partner="corrections")
    assert event.last_error == "no answer within 0.5 s"
    simulator.control(late_rate=0.0)
    with clock.frozen_at(IN_FORCE + dt.timedelta(seconds=2)):
        assert delivery.deliver_due("corrections").delivered == 1
    [kept] = simulator.received("corrections")
    assert kept["times"] == 2  # it came twice, and was kept and acknowledged as one
    event.refresh_from_db()
    assert event.receipt == kept["receipt"]


def test_after_the_last_try_the_event_is_a_dead_letter_and_holds_back_its_case(
    partners_port: int, settings: Any
) -> None:
    settings.TORELIK_EXCHANGE_ATTEMPTS = 2
    act = factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
    from torelik.exchange import outbox
    from torelik.exchange.schemas.acts import ReleaseDateV1
    from torelik.exchange.schemas.common import CourtRef, PartyRef

    court = act.case.court
    with clock.frozen_at(IN_FORCE):
        outbox.publish(
            "release_date",
            ReleaseDateV1(
                case_number=act.case.number,
                court=CourtRef(code=court.code, name_kk=court.name_kk, name_ru=court.name_ru),
                person=PartyRef(role="accused", name="Сапаров Ерлан Маратович", iin=DEFENDANT_IIN),
                release_on=dt.date(2029, 12, 18),
                basis="3 years from 18 Dec 2026",
            ),
            case=act.case,
        )
        delivery.deliver_due("corrections")
    with clock.frozen_at(IN_FORCE + dt.timedelta(seconds=2)):
        delivery.deliver_due("corrections")
    first, second = OutboundEvent.objects.filter(partner="corrections").order_by("pk")
    assert (first.status, first.attempts) == (DeliveryStatus.DEAD, 2)
    assert (second.status, second.attempts) == (DeliveryStatus.PENDING, 0)  # waits behind the dead letter
