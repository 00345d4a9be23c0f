"""Refusals of the case file."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class CaseErrorCode(StrEnum):
    CASE_NOT_FOUND = "case_not_found"
    DOCUMENT_NOT_FOUND = "document_not_found"
    UNKNOWN_CATEGORY = "unknown_category"
    CATEGORY_MISMATCH = "category_proceeding_type_mismatch"
    NOT_STAFF_OF_COURT = "not_staff_of_court"
    TRANSITION_NOT_ALLOWED = "status_transition_not_allowed"
    TRANSITION_BY_SYSTEM_ONLY = "status_transition_by_system_only"
    TRANSITION_NOT_YOURS = "status_transition_not_for_your_role"
    INVALID_FILING = "invalid_filing"
    ALREADY_CORRECTED = "document_already_corrected"
    JUDGE_OF_OTHER_COURT = "judge_of_other_court"


class CaseError(DomainError):
    http_status = 422


class CaseNotFoundError(NotFoundError):
    """Also what anyone who may not see a case gets: its existence is never revealed."""


class CaseForbiddenError(PermissionDeniedError):
    """The user may see the case (or the court) but not do this to it."""
