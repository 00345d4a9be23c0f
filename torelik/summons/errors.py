"""Refusals of the summons context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError


class SummonsErrorCode(StrEnum):
    INVALID_PHONE = "invalid_phone"
    WRONG_CODE = "wrong_code"
    CODE_EXPIRED = "code_expired"
    LOCKED = "too_many_attempts"
    SUBPOENA_NOT_FOUND = "subpoena_not_found"
    WRONG_LOGIN = "wrong_login"
    ACCESS_EXPIRED = "document_access_expired"
    DOCUMENT_NOT_FOUND = "document_not_found"
    INVALID_PERIOD = "invalid_period"
    NOT_STAFF = "not_court_staff"
    MALFORMED = "malformed"


class SummonsError(DomainError):
    http_status = 400


class SummonsForbiddenError(DomainError):
    http_status = 403


class WrongCodeError(DomainError):
    """The same answer for an unknown phone and a wrong code: nobody learns whether a number is known."""

    http_status = 401


class CodeExpiredError(DomainError):
    http_status = 410


class LockedError(DomainError):
    http_status = 429


class SubpoenaNotFoundError(NotFoundError):
    pass
