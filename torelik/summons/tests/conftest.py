"""Fixtures of the summons tests."""

import pytest

from torelik.cases.tests.factories import CourtOffice, court_office, ensure_claim_document_type
from torelik.summons import delivery


class Outbox(list[delivery.Outgoing]):
    """What the summons context handed to the outbox, in order (the real outbox still gets it)."""

    def codes(self) -> dict[str, str]:
        """Phone → the last subpoena code sent to it."""
        return {m.phone: m.payload["code"] for m in self if m.template == delivery.HEARING_SUMMONS}

    def logins(self) -> dict[str, tuple[str, str]]:
        return {
            m.phone or m.email: (m.payload["login"], m.payload["password"])
            for m in self
            if m.template == delivery.CLAIM_FILED_AGAINST_YOU
        }


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    sent = Outbox()
    real = delivery.send

    def capture(message: delivery.Outgoing) -> str:
        sent.append(message)
        return real(message)

    monkeypatch.setattr(delivery, "send", capture)
    return sent


@pytest.fixture
def office() -> CourtOffice:
    ensure_claim_document_type()
    return court_office("0215")
