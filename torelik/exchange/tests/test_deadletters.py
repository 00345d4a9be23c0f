"""A dead letter is retried by staff (the issue's Done-when): the court's staff see it with the partner's
error, send it again or annul it with a reason (journaled, with who and the error), and the case's later
events go on; a decision without a reason is refused with a translated error and 422; staff of another
court, and people who are not staff, are told it does not exist."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from torelik.acts.tasks import enter_acts_into_force
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.courts.tests.factories import CourtFactory
from torelik.exchange import delivery
from torelik.exchange.models import DeadLetterDecision, DecisionKind, DeliveryStatus, OutboundEvent
from torelik.exchange.tests import factories
from torelik.exchange.tests.simulator import Simulator
from torelik.exchange.tests.test_delivery import IN_FORCE
from torelik.identity.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password (cases.tests.factories)


def _dead_sentence(simulator: Simulator) -> OutboundEvent:
    simulator.control(known_versions={"corrections": {"sentence_in_force": [2]}})
    factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()
        delivery.deliver_due("corrections")
    event = OutboundEvent.objects.get(partner="corrections")
    assert event.status == DeliveryStatus.DEAD
    simulator.control(reset=True)
    return event


def _clerk(event: OutboundEvent) -> User:
    assert event.court is not None
    return staff_user("clerk.exchange", event.court, StaffRole.CLERK)


def test_staff_retry_a_dead_letter_with_a_reason_and_it_is_delivered(simulator: Simulator) -> None:
    event = _dead_sentence(simulator)
    client = Client()
    client.force_login(_clerk(event))
    overview = client.get("/ru/exchange/")
    assert overview.status_code == 200
    assert "Уголовно-исполнительная система" in overview.content.decode()
    assert str(event.public_id) in overview.content.decode()
    page = f"/ru/exchange/events/{event.public_id}/"
    refused = client.post(page, {"decision": "retry", "reason": "  "})
    assert refused.status_code == 422
    assert "Укажите причину" in refused.content.decode()
    with clock.frozen_at(IN_FORCE):
        done = client.post(page, {"decision": "retry", "reason": "Партнёр обновил схему"})
    assert done.status_code == 302
    decision = DeadLetterDecision.objects.get(event=event)
    assert (decision.kind, decision.reason) == (DecisionKind.RETRIED, "Партнёр обновил схему")
    assert decision.error.startswith("unknown_schema_version")
    with clock.frozen_at(IN_FORCE):
        assert delivery.deliver_due("corrections").delivered == 1
    event.refresh_from_db()
    assert (event.status, event.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert [r["event_id"] for r in simulator.received("corrections")] == [str(event.public_id)]


def test_an_annulled_dead_letter_lets_the_cases_next_event_go(simulator: Simulator, settings: Any) -> None:
    event = _dead_sentence(simulator)
    assert event.case is not None
    from torelik.exchange import outbox

    with clock.frozen_at(IN_FORCE):
        [later] = outbox.publish("sentence_in_force", event.payload, case=event.case)
        assert delivery.deliver_due("corrections").delivered == 0  # held back behind the dead letter
    client = Client()
    client.force_login(_clerk(event))
    with clock.frozen_at(IN_FORCE):
        client.post(f"/ru/exchange/events/{event.public_id}/", {"decision": "annul", "reason": "Отправлено повторно"})
        assert delivery.deliver_due("corrections").delivered == 1
    event.refresh_from_db()
    later.refresh_from_db()
    assert (event.status, later.status) == (DeliveryStatus.ANNULLED, DeliveryStatus.DELIVERED)
    assert DeadLetterDecision.objects.get(event=event).kind == DecisionKind.ANNULLED


def test_staff_of_another_court_and_citizens_do_not_see_the_dead_letter(simulator: Simulator) -> None:
    event = _dead_sentence(simulator)
    other = staff_user("clerk.other", CourtFactory.create(code="1999"), StaffRole.CLERK)
    client = Client()
    client.force_login(other)
    assert client.get(f"/ru/exchange/events/{event.public_id}/").status_code == 404
    assert str(event.public_id) not in client.get("/ru/exchange/").content.decode()
    citizen = User.objects.create_user(username="citizen", password=PASSWORD)
    client.force_login(citizen)
    assert client.get("/ru/exchange/").status_code == 403
    assert (
        client.post(f"/ru/exchange/events/{event.public_id}/", {"decision": "annul", "reason": "x"}).status_code == 404
    )
    assert OutboundEvent.objects.get(pk=event.pk).status == DeliveryStatus.DEAD


def test_the_overview_counts_each_partners_events() -> None:
    client = Client()
    user = User.objects.create_superuser(username="root", password=PASSWORD)
    client.force_login(user)
    answer = client.get(reverse("exchange:overview"))
    assert answer.status_code == 200
    assert answer.context["figures"][0].code == "enforcement"
