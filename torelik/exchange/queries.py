"""Reads of the exchange: a court's journal of correspondence, the state bodies letters go to, the
partners' clients and each one's journal of calls."""

from django.db.models import Count, Max, Q, QuerySet

from torelik.courts.models import Court
from torelik.exchange.models import ClientCall, Letter, LetterDirection, PartnerClient, PartnerKind


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
