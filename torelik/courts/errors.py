"""Refusals of the court registry."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError


class CourtsErrorCode(StrEnum):
    COURT_NOT_FOUND = "court_not_found"
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_PARENT = "unknown_parent_court"
    UNKNOWN_PARENT_CATEGORY = "unknown_parent_category"
    ABSENCE_DATES = "absence_dates"
    PARTICIPATION_RATE = "participation_rate"
    CATEGORY_TERMS = "category_terms"


class CourtsError(DomainError):
    http_status = 422


class CourtNotFoundError(NotFoundError):
    pass
