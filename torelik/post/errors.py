"""Refusals of the post context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class PostErrorCode(StrEnum):
    NOT_A_BARCODE = "not_a_barcode"
    WRONG_CHECK_DIGIT = "barcode_check_digit"
    UNKNOWN_BARCODE = "unknown_barcode"
    NO_POSTAL_INDEX = "no_postal_index"
    NO_RECIPIENT = "no_recipient"
    NO_RATE = "no_rate"
    BAD_SIGNATURE = "bad_signature"
    MALFORMED = "malformed_report"
    NOT_STAFF = "not_staff_of_court"
    OPERATOR_UNAVAILABLE = "operator_unavailable"
    BAD_PERIOD = "bad_period"
    SERIES_USED_UP = "series_used_up"


class PostError(DomainError):
    http_status = 422


class WebhookSignatureError(PostError):
    http_status = 401


class LetterNotFoundError(NotFoundError):
    pass


class PostForbiddenError(PermissionDeniedError):
    pass


class OperatorError(Exception):
    """The operator did not answer, answered late, or answered what we cannot read: retried, and shown."""
