"""The demo's exchanges: what the partners were told about the demo's acts in force (sentences go the
same way through the same handler), written by the live
handlers though no partner was connected when the acts entered into force, acknowledged or left as dead
letters that hold back nothing after them; once."""

import pytest

from torelik.acts.tasks import enter_acts_into_force
from torelik.acts.tests.factories import on
from torelik.core import clock
from torelik.exchange.demo import seed_demo_exchange
from torelik.exchange.models import DeliveryStatus, OutboundEvent
from torelik.exchange.tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_tells_enforcement_of_its_writs_once() -> None:
    decision = factories.decision_with_writ()
    with clock.frozen_at(on(factories.IN_FORCE_ON, hour=0)):
        enter_acts_into_force.call()
    assert not OutboundEvent.objects.exists()  # no partner connected: nothing was written live
    summary = seed_demo_exchange(seed=1916)
    writ = OutboundEvent.objects.get(partner="enforcement", event_type="writ_in_force")
    assert writ.case_id == decision.case_id
    assert writ.payload["writ"]["filename"].startswith("writ-")
    events = OutboundEvent.objects.all()
    assert summary.delivered + summary.dead == events.count() == 1
    assert set(events.values_list("status", flat=True)) <= {DeliveryStatus.DELIVERED, DeliveryStatus.DEAD}
    for event in events.filter(status=DeliveryStatus.DELIVERED):
        assert event.receipt
        assert event.delivered_at is not None
        assert event.delivered_at > event.occurred_at
    assert seed_demo_exchange(seed=1916).delivered == 0  # once
