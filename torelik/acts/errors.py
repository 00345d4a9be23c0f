"""Refusals of the acts context."""

from enum import StrEnum

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class ActErrorCode(StrEnum):
    ACT_NOT_FOUND = "act_not_found"
    KIND_NOT_IN_PROCEEDING = "act_kind_not_in_proceeding"
    LANGUAGE = "act_language_not_of_proceedings"
    NOT_A_DRAFT = "act_not_a_draft"
    NOT_SIGNED = "act_not_signed"
    NOT_DRAFTER = "act_not_yours_to_draft"
    NOT_THE_JUDGE = "act_signed_only_by_the_case_judge"
    NOT_PREPARED = "act_not_prepared_for_signing"
    WRONG_SIGNER = "act_signed_by_another_person"
    TIMESTAMP_FAILED = "act_timestamp_failed"
    NO_TIMESTAMP_AUTHORITY = "act_no_timestamp_authority"
    EMPTY_PART = "act_part_empty"
    NOT_APPEALABLE = "act_not_appealable"
    APPEAL_LATE = "act_appeal_after_term"
    ALREADY_APPEALED = "act_already_appealed"
    NOT_A_PARTY = "act_not_a_party"
    BAD_PDF = "act_pdf_not_genuine"
    APPEAL_NOT_READY = "appeal_responses_term_running"
    APPEAL_SENT = "appeal_already_sent"
    NOT_THE_OFFICE = "appeal_sent_only_by_the_court"


class ActError(DomainError):
    http_status = 422


class ActNotFoundError(NotFoundError):
    """Also what anyone who may not see the act's case gets."""


class ActForbiddenError(PermissionDeniedError):
    pass


class ActConflictError(ConflictError):
    pass
