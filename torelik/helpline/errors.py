"""Refusals of the helpline."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class HelplineErrorCode(StrEnum):
    INVALID = "invalid"
    NOT_OPERATOR = "not_operator"
    NOT_ANSWERER = "not_answerer"
    CASE_NOT_FOUND = "case_not_found"
    COURT_NOT_FOUND = "court_not_found"
    CATEGORY_NOT_FOUND = "category_not_found"
    CALL_NOT_FOUND = "call_not_found"
    NO_PHONE_ON_RECORD = "no_phone_on_record"
    NOT_A_PARTY = "not_a_party"
    TOO_MANY_CODES = "too_many_codes"
    WRONG_CODE = "wrong_code"
    CODE_EXPIRED = "code_expired"
    LOCKED = "too_many_attempts"
    ALREADY_ANSWERED = "already_answered"


class HelplineError(DomainError):
    http_status = 400


class HelplineForbiddenError(PermissionDeniedError):
    pass


class HelplineNotFoundError(NotFoundError):
    pass


class TooManyCodesError(DomainError):
    http_status = 429
