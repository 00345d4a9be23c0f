"""Reads of the exchange: the figures per partner and the dead letters staff see."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from torelik.exchange import partners
from torelik.exchange.models import DeadLetterDecision, DeliveryStatus, OutboundEvent


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
                name=str(kind.name),
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
