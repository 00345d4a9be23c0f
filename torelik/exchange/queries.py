"""Reads of the exchange: a court's journal of correspondence, the state bodies letters go to, the
partners' clients and each one's journal of calls.

Reads of the exchange: the figures per partner and the dead letters staff see."""

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from torelik.courts.models import Court
from torelik.exchange import partners
from torelik.exchange.models import (
    ClientCall,
    DeadLetterDecision,
    DeliveryStatus,
    Letter,
    LetterDirection,
    OutboundEvent,
    PartnerClient,
    PartnerKind,
)


def letters_of(court: Court, direction: str = "") -> QuerySet[Letter]:
    letters = Letter.objects.filter(court=court).select_related("counterpart", "case")
    if direction in LetterDirection.values:
        letters = letters.filter(direction=direction)
    return letters.order_by("-registered_at", "-id")


def state_bodies(*, reachable: bool = False) -> QuerySet[PartnerClient]:
    bodies = PartnerClient.objects.filter(kind=PartnerKind.STATE_BODY, revoked_at__isnull=True)
    return bodies.exclude(endpoint_url="") if reachable else bodies


def incoming_of(court: Court) -> QuerySet[Letter]:
    return Letter.objects.filter(court=court, direction=LetterDirection.INCOMING).select_related("counterpart")


def clients_with_figures() -> QuerySet[PartnerClient]:
    return PartnerClient.objects.annotate(
        call_count=Count("calls"),
        refused_count=Count("calls", filter=Q(calls__outcome="refused")),
        last_call=Max("calls__at"),
    ).order_by("name")


def calls_of(client: PartnerClient, limit: int = 200) -> list[ClientCall]:
    return list(ClientCall.objects.filter(client=client).order_by("-at", "-id")[:limit])


@dataclass(frozen=True)
class PartnerFigures:
    code: str
    name: str
    connected: bool
    waiting: int
    delivered: int
    dead: int
    annulled: int


def figures(events: QuerySet[OutboundEvent]) -> list[PartnerFigures]:
    counts: dict[tuple[str, str], int] = {
        (row["partner"], row["status"]): row["n"]
        for row in events.values("partner", "status").annotate(n=Count("id")).order_by()
    }
    result = []
    for code, kind in partners.PARTNERS.items():
        result.append(
            PartnerFigures(
                code=code,
                name=kind.name,
                connected=partners.partner(code) is not None,
                waiting=counts.get((code, DeliveryStatus.PENDING), 0) + counts.get((code, DeliveryStatus.SENDING), 0),
                delivered=counts.get((code, DeliveryStatus.DELIVERED), 0),
                dead=counts.get((code, DeliveryStatus.DEAD), 0),
                annulled=counts.get((code, DeliveryStatus.ANNULLED), 0),
            )
        )
    return result


def dead_letters(events: QuerySet[OutboundEvent]) -> QuerySet[OutboundEvent]:
    return events.filter(status=DeliveryStatus.DEAD).select_related("case", "court").order_by("-last_attempt_at", "-pk")


def recent(events: QuerySet[OutboundEvent]) -> QuerySet[OutboundEvent]:
    return events.select_related("case", "court").order_by("-pk")


def decisions(events: QuerySet[OutboundEvent]) -> QuerySet[DeadLetterDecision]:
    return DeadLetterDecision.objects.filter(event__in=events).select_related("event", "event__case", "actor")
