"""Refusals of building access: at the entrance officer's desk and at a turnstile or badge reader."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class AccessErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_ON_DUTY = "not_on_duty"
    ENTRANCE_NOT_FOUND = "entrance_not_found"
    VISIT_NOT_FOUND = "visit_not_found"
    BAN_NOT_FOUND = "ban_not_found"
    DEVICE_NOT_FOUND = "device_not_found"
    DEVICE_TOKEN_INVALID = "device_token_invalid"  # noqa: S105 - an error code
    DEVICE_REVOKED = "device_revoked"
    UNKNOWN_BADGE = "unknown_badge"
    BADGE_INACTIVE = "badge_inactive"
    BADGE_OF_ANOTHER_COURT = "badge_of_another_court"
    UNKNOWN_PASS = "unknown_pass"  # noqa: S105 - an error code
    PASS_NOT_TODAY = "pass_not_today"  # noqa: S105 - an error code
    NO_CREDENTIAL = "no_credential"
    BANNED = "banned"
    REFUSED = "refused"
    ALREADY_INSIDE = "already_inside"
    NOT_INSIDE = "not_inside"
    ALREADY_LEFT = "already_left"
    NOT_HELD = "not_held"


class AccessError(DomainError):
    http_status = 400


class AccessConflictError(DomainError):
    """The event contradicts what the log knows (in twice, out without in): 409, the event kept."""

    http_status = 409


class AccessForbiddenError(PermissionDeniedError):
    pass


class AccessNotFoundError(NotFoundError):
    pass


class DeviceTokenError(DomainError):
    http_status = 401
