"""Refusals of the exchange context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class ExchangeErrorCode(StrEnum):
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    UNKNOWN_PARTNER = "unknown_partner"
    INVALID_PAYLOAD = "invalid_payload"
    NOT_OPERATOR = "not_exchange_operator"
    NOT_FOUND = "outbound_event_not_found"
    NOT_DEAD = "outbound_event_not_dead"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_SCHEMA = "unknown_schema"


class ExchangeError(DomainError):
    http_status = 422


class OutboundEventNotFoundError(NotFoundError):
    """Also what anyone who may not see an event gets."""


class ExchangeForbiddenError(PermissionDeniedError):
    pass
