"""The e-government portal's events are HMAC-signed with the partner's secret: a case's status change
for the citizen who is its party arrives; a secret the partner does not share is refused (401) and the
event is a dead letter at once, with the partner's words."""

from typing import Any

import pytest

from torelik.cases.actions import change_status
from torelik.cases.models import CaseStatus, Party, PartyRole
from torelik.cases.tests.factories import CLAIMANT_IIN
from torelik.exchange import delivery
from torelik.exchange.models import DeliveryStatus, OutboundEvent
from torelik.exchange.tests.simulator import Simulator
from torelik.hearings.tests.factories import case_in, court_with_staff
from torelik.identity.models import Person

pytestmark = pytest.mark.django_db


def _case_of_a_citizen() -> Any:
    case = case_in(court_with_staff("0217"), status=CaseStatus.ACCEPTED)
    person = Person.objects.create(iin=CLAIMANT_IIN, surname="Ахметова", given_name="Айгерим")
    Party.objects.create(case=case, role=PartyRole.CLAIMANT, person=person)
    return case


def test_a_status_change_reaches_the_portal_signed_with_its_secret(simulator: Simulator) -> None:
    case = _case_of_a_citizen()
    change_status(case=case, to=CaseStatus.SCHEDULED, actor=None, reason="hearing scheduled")
    assert delivery.deliver_due("egov").delivered == 1
    [kept] = simulator.received("egov")
    assert (kept["event_type"], kept["signer"], kept["case_number"]) == ("case_status", "hmac", case.number)
    assert kept["payload"]["participants"] == [CLAIMANT_IIN]
    assert (kept["payload"]["from_status"], kept["payload"]["to_status"]) == ("accepted", "scheduled")


def test_a_secret_the_partner_does_not_share_is_refused_and_a_dead_letter(simulator: Simulator, settings: Any) -> None:
    settings.TORELIK_EXCHANGE_PARTNERS = {"egov": {"secret": "not-the-partners-secret", "timeout": 2.0}}
    case = _case_of_a_citizen()
    change_status(case=case, to=CaseStatus.SCHEDULED, actor=None, reason="hearing scheduled")
    assert delivery.deliver_due("egov").dead == 1
    event = OutboundEvent.objects.get(partner="egov")
    assert (event.status, event.last_status_code) == (DeliveryStatus.DEAD, 401)
    assert event.last_error == "bad_signature: the HMAC does not match"
    assert simulator.received("egov") == []
