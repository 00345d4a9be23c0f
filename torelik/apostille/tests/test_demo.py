"""The demo's apostilles: seeded once through the actions, each issued one in the register."""

import pytest
from django.test import Client

from torelik.acts.tests.factories import on
from torelik.apostille.demo import seed_demo_apostilles
from torelik.apostille.models import ApostilleRequest, ApostilleStatus
from torelik.apostille.tests.conftest import TODAY, decision_in_force
from torelik.core import clock
from torelik.identity.pki import DemoCA


@pytest.mark.django_db
def test_the_demo_issues_apostilles_that_the_register_finds(ca: DemoCA, tsa: str) -> None:
    decision_in_force(ca, code="1916")
    with clock.frozen_at(on(TODAY)):
        summary = seed_demo_apostilles()
    assert summary.requests == 1
    assert summary.numbers == ("1916-26-A-000001 of 2026-12-21",)
    assert summary.issued == 1
    assert seed_demo_apostilles().requests == 0  # once
    issued = ApostilleRequest.objects.get(status=ApostilleStatus.ISSUED)
    assert issued.issued_on is not None
    response = Client().get(
        "/api/v1/apostilles/verify", {"number": str(issued.number), "date": issued.issued_on.isoformat()}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "issued"
