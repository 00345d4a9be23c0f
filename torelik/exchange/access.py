"""Who may do what in the exchange: the court office (clerk, chairman, administrator of a court) keeps
that court's letters; the administrator of partners (a superuser, or the permission
`exchange.manage_partner_clients`) makes and revokes partners' clients and reads their journal.

Who handles which events for partners: the staff of the event's court (through the case file's rule
of which courts a staff member reads: a chairman sees the courts below), and the exchange's national
operators (permission `exchange.operate_national_exchange`, or a superuser), who also handle events of no
court (statistical reports). Anyone else is told the event does not exist."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import staff_court_ids
from torelik.courts.models import Court
from torelik.courts.queries import positions_of
from torelik.exchange.errors import (
    ExchangeErrorCode,
    ExchangeForbiddenError,
    ExchangeNotFoundError,
)
from torelik.exchange.letters import OFFICE_ROLES
from torelik.exchange.models import Letter, OutboundEvent, PartnerClient
from torelik.identity.models import User


def office_courts(user: User | None) -> list[Court]:
    """The courts whose correspondence `user` keeps today."""
    if user is None or not user.is_authenticated:
        return []
    ids = set(positions_of(user).filter(role__in=OFFICE_ROLES).values_list("court_id", flat=True))
    return list(Court.objects.filter(pk__in=ids).order_by("code"))


def office_court(user: User | None, code: str = "") -> Court:
    """The court whose letters `user` works on (the one named by `code`, or their first)."""
    courts = office_courts(user)
    chosen = next((c for c in courts if c.code == code), None) if code else (courts[0] if courts else None)
    if chosen is None:
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_OFFICE, _("Only the court office keeps the court's correspondence.")
        )
    return chosen


def access_letter_for(user: User | None, public_id: uuid.UUID) -> Letter:
    courts = [c.pk for c in office_courts(user)]
    letter = (
        Letter.objects.select_related("court", "counterpart", "case", "in_reply_to")
        .filter(public_id=public_id, court_id__in=courts)
        .first()
    )
    if letter is None:
        raise ExchangeNotFoundError(ExchangeErrorCode.LETTER_NOT_FOUND, _("There is no such letter that you may see."))
    return letter


def check_manages_clients(user: User | None) -> None:
    if not (user and user.is_authenticated and (user.is_superuser or user.has_perm("exchange.manage_partner_clients"))):
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_ADMINISTRATOR, _("Only the administrator of partner systems manages their clients.")
        )


def access_client_for(user: User | None, public_id: uuid.UUID) -> PartnerClient:
    check_manages_clients(user)
    client = PartnerClient.objects.filter(public_id=public_id).first()
    if client is None:
        raise ExchangeNotFoundError(ExchangeErrorCode.CLIENT_NOT_FOUND, _("There is no such partner client."))
    return client


def is_national_operator(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("exchange.operate_national_exchange"))


def events_visible_to(user: User | None) -> QuerySet[OutboundEvent]:
    if is_national_operator(user):
        return OutboundEvent.objects.all()
    courts = staff_court_ids(user)
    if not courts:
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_OPERATOR, _("Only court staff see the exchanges with partner agencies.")
        )
    return OutboundEvent.objects.filter(Q(court_id__in=courts))


def access_event_for(user: User | None, event_id: uuid.UUID | str) -> OutboundEvent:
    try:
        event = events_visible_to(user).filter(public_id=event_id).select_related("case", "court").first()
    except ExchangeForbiddenError:
        event = None
    if event is None:
        raise ExchangeNotFoundError(
            ExchangeErrorCode.NOT_FOUND,
            _("There is no event %(id)s that you may see."),
            params={"id": str(event_id)},
        )
    return event
