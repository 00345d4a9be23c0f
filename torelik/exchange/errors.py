"""Refusals of the exchange: each a stable code, a translatable message and the HTTP status it answers
(inbound messages, letters, partner clients, outbound events and dead letters)."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class ExchangeErrorCode(StrEnum):
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - a code, not a password
    SIGNATURE_MISSING = "signature_missing"
    SIGNATURE_INVALID = "signature_invalid"
    MALFORMED = "malformed"
    INVALID = "invalid_input"
    UNKNOWN_SCHEMA_VERSION = "unknown_schema_version"
    UNKNOWN_TOPIC = "unknown_topic"
    OUT_OF_SCOPE = "out_of_scope"
    MESSAGE_ID_REUSED = "message_id_reused"
    CASE_NOT_FOUND = "case_not_found"
    WRIT_NOT_FOUND = "writ_not_found"
    NOT_A_PARTY = "not_a_party"
    LETTER_SIGNATURE_REFUSED = "letter_signature_refused"
    WRONG_COURT = "wrong_court"
    NOT_OFFICE = "not_court_office"
    NOT_ADMINISTRATOR = "not_administrator"
    LETTER_NOT_FOUND = "letter_not_found"
    CLIENT_NOT_FOUND = "client_not_found"
    NAME_TAKEN = "name_taken"
    # The outbound half: events, partners, dead letters.
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    UNKNOWN_PARTNER = "unknown_partner"
    INVALID_PAYLOAD = "invalid_payload"
    NOT_OPERATOR = "not_exchange_operator"
    NOT_FOUND = "outbound_event_not_found"
    NOT_DEAD = "outbound_event_not_dead"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_SCHEMA = "unknown_schema"


class ExchangeError(DomainError):
    """Bad input (400)."""


class ExchangeAuthError(DomainError):
    """No valid credential or signature (401)."""

    http_status = 401


class ExchangeForbiddenError(PermissionDeniedError):
    """A client writing outside its scopes, or a person outside their court (403)."""


class ExchangeNotFoundError(NotFoundError):
    """404; also what anyone gets who may not see a letter or an outbound event."""


class ExchangeConflictError(ConflictError):
    """A message id used again for another message (409)."""


class ExchangeInvalidError(DomainError):
    """Well-formed but not acceptable: unknown case, writ, party, a refused signature (422)."""

    http_status = 422


def invalid_field(error_code: str, message: Any, field: str, **params: object) -> ExchangeInvalidError:
    """A 422 refusal whose message is also the named field's error (inbound messages, letters)."""
    error = ExchangeInvalidError(error_code, message, params=params)
    error.fields = {field: [error.message]}
    return error


# What each refusal means, in words for the journal's page.
REFUSAL_NAMES = {
    ExchangeErrorCode.TOKEN_INVALID: _("credential not valid"),
    ExchangeErrorCode.SIGNATURE_MISSING: _("message not signed"),
    ExchangeErrorCode.SIGNATURE_INVALID: _("signature not valid"),
    ExchangeErrorCode.MALFORMED: _("message not readable"),
    ExchangeErrorCode.INVALID: _("data not valid"),
    ExchangeErrorCode.UNKNOWN_SCHEMA_VERSION: _("unknown schema version"),
    ExchangeErrorCode.UNKNOWN_TOPIC: _("unknown topic"),
    ExchangeErrorCode.OUT_OF_SCOPE: _("outside the client's scopes"),
    ExchangeErrorCode.MESSAGE_ID_REUSED: _("message id used for another message"),
    ExchangeErrorCode.CASE_NOT_FOUND: _("no such case"),
    ExchangeErrorCode.WRIT_NOT_FOUND: _("no such writ"),
    ExchangeErrorCode.NOT_A_PARTY: _("the person is not a party"),
    ExchangeErrorCode.LETTER_SIGNATURE_REFUSED: _("letter's signature refused"),
    ExchangeErrorCode.WRONG_COURT: _("no such court"),
    ExchangeErrorCode.LETTER_NOT_FOUND: _("no such letter"),
}
