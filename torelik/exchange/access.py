"""Who handles which events for partners: the staff of the event's court (through the case file's rule
of which courts a staff member reads: a chairman sees the courts below), and the exchange's national
operators (permission `exchange.operate_national_exchange`, or a superuser), who also handle events of no
court (statistical reports). Anyone else is told the event does not exist."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import staff_court_ids
from torelik.exchange.errors import ExchangeErrorCode, ExchangeForbiddenError, OutboundEventNotFoundError
from torelik.exchange.models import OutboundEvent
from torelik.identity.models import User


def is_national_operator(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("exchange.operate_national_exchange"))


def may_operate(user: User | None) -> bool:
    return is_national_operator(user) or bool(staff_court_ids(user))


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
    event = None
    if may_operate(user):
        event = events_visible_to(user).filter(public_id=event_id).select_related("case", "court").first()
    if event is None:
        raise OutboundEventNotFoundError(
            ExchangeErrorCode.NOT_FOUND,
            _("There is no event %(id)s that you may see."),
            params={"id": str(event_id)},
        )
    return event
