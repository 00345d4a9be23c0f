"""Refusals of the filing context."""

from enum import StrEnum
from typing import Any

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class FilingErrorCode(StrEnum):
    NOT_FOUND = "filing_not_found"
    NOT_A_DRAFT = "filing_not_a_draft"
    INVALID = "invalid_filing"
    NO_FILING_DOCUMENT = "filing_document_missing"
    ATTACHMENT_REFUSED = "attachment_refused"
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    NOT_A_PARTY = "filer_not_a_party"
    NO_HIGHER_COURT = "no_higher_court"
    FEE_NOT_PAID = "fee_not_paid"
    FEE_RATES_INVALID = "fee_rates_invalid"
    FEE_NO_RATE = "fee_no_rate"
    SIGNATURE_REFUSED = "signature_refused"
    SIGNER_NOT_FILER = "signer_not_filer"
    SIGNER_NOT_ORGANISATION = "signer_not_of_organisation"
    NOT_REPRESENTATIVE = "not_a_registered_representative"
    MANIFEST_MISMATCH = "manifest_mismatch"
    REPLAYED = "submission_replayed"
    PAYMENT_NOT_FOUND = "payment_not_found"
    PAYMENT_UNAVAILABLE = "payment_gateway_unavailable"
    PAYMENT_BAD_HMAC = "payment_callback_bad_hmac"
    PAYMENT_WRONG_AMOUNT = "payment_callback_wrong_amount"
    PAYMENT_MALFORMED = "payment_callback_malformed"
    NOTHING_TO_PAY = "nothing_to_pay"
    RECEIPT_NOT_FOUND = "receipt_not_found"
    API_TOKEN_INVALID = "api_token_invalid"  # noqa: S105 - an error code
    NOT_PSC_OPERATOR = "not_psc_operator"
    PSC_CODE_WRONG = "psc_code_wrong"
    PSC_CODE_EXPIRED = "psc_code_expired"
    PSC_NOT_CONFIRMED = "psc_not_confirmed"
    PSC_NO_PHONE = "psc_citizen_has_no_phone"
    PHONE_CODE_WRONG = "phone_code_wrong"
    PHONE_CODE_EXPIRED = "phone_code_expired"
    PHONE_CODES_LIMIT = "phone_codes_limit"
    NO_PERSON = "no_person"
    NOT_THE_FILER = "not_the_filer"
    ID_TAKEN = "filing_id_taken"


class FilingError(DomainError):
    http_status = 422


class TooManyCodesError(DomainError):
    http_status = 429


class FilingNotFoundError(NotFoundError):
    """Also what anyone gets who may not see a filing: its existence is never revealed."""


class FilingConflictError(ConflictError):
    pass


class FilingForbiddenError(PermissionDeniedError):
    pass


class PaymentCallbackError(DomainError):
    http_status = 400


class ApiClientError(DomainError):
    http_status = 401


class PaymentUnavailableError(DomainError):
    """No payment gateway is enabled here (the sandbox needs its secret)."""

    http_status = 503


def refusal(code: FilingErrorCode, message: Any, field: str | None = None, **params: Any) -> FilingError:
    """A refusal of the filing, naming the field at fault when there is one."""
    error = FilingError(code, message, params=params)
    if field:
        error.fields = {field: [error.message]}
    return error
