"""Refusals of the apostille context."""

from enum import StrEnum

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class ApostilleErrorCode(StrEnum):
    DOCUMENT_NOT_FOUND = "apostille_document_not_found"
    NOT_IN_FORCE = "apostille_document_not_in_force"
    NO_WRIT = "apostille_document_has_no_writ"
    COUNTRY = "apostille_country_unknown"
    NOT_FOUND = "apostille_request_not_found"
    NOT_PAID = "apostille_fee_not_paid"
    ALREADY_PAID = "apostille_fee_already_paid"
    NOT_QUEUED = "apostille_request_not_in_the_queue"
    NOT_THE_OFFICE = "apostille_issued_only_by_the_court_office"
    NOT_PSC_OPERATOR = "apostille_not_psc_operator"
    NO_REASON = "apostille_reason_required"
    NOT_ISSUED = "apostille_not_issued"
    BAD_NUMBER = "apostille_number_malformed"
    BAD_DATE = "apostille_date_malformed"
    NOT_REGISTERED = "apostille_not_in_register"
    PAYMENT_REFUSED = "apostille_payment_notice_refused"
    CODE_WRONG = "apostille_code_wrong"
    CODE_EXPIRED = "apostille_code_expired"
    NO_PHONE = "apostille_citizen_has_no_phone"


class ApostilleError(DomainError):
    http_status = 422


class ApostilleNotFoundError(NotFoundError):
    """Also what anyone gets who may not see the document or the request."""


class ApostilleForbiddenError(PermissionDeniedError):
    pass


class ApostilleConflictError(ConflictError):
    pass
