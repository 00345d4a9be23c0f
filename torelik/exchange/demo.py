"""Demo exchanges (issue 27): what the partner agencies were told about the demo's acts, as if the
partners had been connected all along — each writ of an act in force for the enforcement committee and
each sentence in force for the correctional system, written by the same handlers as live events, most
acknowledged and a few left as dead letters (the partner refused or did not answer 24 times) for the
court's staff to send again or annul on `/{lang}/exchange/`. With `TORELIK_DEMO_PARTNERS=1` the
simulator is connected as well and new events are delivered live."""

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.exchange import handlers, partners
from torelik.exchange.models import DeliveryStatus, OutboundEvent

# Where the history says the events went: the simulator's address of `make run` (Procfile).
HISTORY_URL = "http://127.0.0.1:8420"
DEAD_EVERY = 8  # one event in eight (at least one) left as a dead letter


@dataclass(frozen=True)
class ExchangeSeedSummary:
    delivered: int
    dead: int

    def lines(self) -> list[str]:
        return [f"{self.delivered} events acknowledged by partner agencies, {self.dead} dead letters for staff"]


def _history_partners() -> dict[str, dict[str, object]]:
    configured = dict(getattr(settings, "TORELIK_EXCHANGE_PARTNERS", {}))
    return {code: {**dict(configured.get(code, {})), "url": f"{HISTORY_URL}/{code}"} for code in partners.PARTNERS}


def seed_demo_exchange(*, seed: int) -> ExchangeSeedSummary:
    """Once: a no-op when the outbox has events already."""
    if OutboundEvent.objects.exists():
        return ExchangeSeedSummary(0, 0)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    entries = CaseEvent.objects.filter(
        kind__in=[CaseEventKind.DOCUMENT_ADDED, CaseEventKind.ENTERED_INTO_FORCE]
    ).order_by("occurred_at", "id")
    with transaction.atomic(), override_settings(TORELIK_EXCHANGE_PARTNERS=_history_partners()):
        for entry in entries.iterator():
            if entry.kind == CaseEventKind.DOCUMENT_ADDED and entry.data.get("type") == handlers.WRIT_TYPE:
                handlers._writ(entry)  # noqa: SLF001 - the live handler's own payload
            elif entry.kind == CaseEventKind.ENTERED_INTO_FORCE:
                handlers._sentence(entry)  # noqa: SLF001
        delivered = dead = 0
        events = list(OutboundEvent.objects.select_for_update().order_by("occurred_at", "id"))
        last_of_stream = {
            event.stream: event.pk for event in events
        }  # a dead letter holds back its case's later events
        for event in events:
            took = dt.timedelta(seconds=rng.randint(2, 40))
            if last_of_stream[event.stream] == event.pk and rng.randrange(DEAD_EVERY) == 0:
                event.status, event.attempts = DeliveryStatus.DEAD, settings.TORELIK_EXCHANGE_ATTEMPTS
                event.last_status_code = rng.choice([503, 502, 504])
                event.last_error = f"HTTP {event.last_status_code}: the partner's service did not answer"
                event.last_attempt_at = event.occurred_at + dt.timedelta(hours=rng.randint(20, 30))
                dead += 1
            else:
                event.status, event.attempts, event.last_status_code = DeliveryStatus.DELIVERED, 1, 200
                event.last_attempt_at = event.delivered_at = event.occurred_at + took
                event.receipt = f"{event.partner[:3].upper()}-{event.occurred_at:%Y}-{rng.randint(1, 999_999):06d}"
                delivered += 1
            event.next_attempt_at = event.last_attempt_at
            event.save()
    return ExchangeSeedSummary(delivered, dead)
