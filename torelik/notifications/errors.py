"""Refusals of the notifications context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class NotificationErrorCode(StrEnum):
    INVALID_PHONE = "invalid_phone"
    NOT_MOBILE = "phone_not_mobile"
    FOREIGN_PHONE = "phone_not_kazakh"
    INVALID_EMAIL = "invalid_email"
    NO_RECIPIENT = "no_recipient"
    UNKNOWN_TEMPLATE = "unknown_template"
    MISSING_PAYLOAD = "missing_payload"
    UNKNOWN_CHANNEL = "unknown_channel"
    NOT_STAFF_OF_COURT = "not_staff_of_court"
    NOT_FOUND = "message_not_found"
    NOT_RESENDABLE = "message_not_resendable"
    DLR_TOKEN_INVALID = "delivery_report_token_invalid"  # noqa: S105 - an error code


class NotificationError(DomainError):
    http_status = 422


class InvalidPhoneError(NotificationError):
    """Not a Kazakh mobile number (landline, foreign or malformed)."""


class MessageNotFoundError(NotFoundError):
    """Also what anyone who may not see a message gets."""


class NotificationForbiddenError(PermissionDeniedError):
    pass
