"""Refusals of the deadlines context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class DeadlinesErrorCode(StrEnum):
    TERM_NOT_FOUND = "term_not_found"
    TERM_NOT_OPEN = "term_not_open"
    TERM_TOO_LONG = "term_too_long"
    INVALID_AMOUNT = "invalid_term_amount"
    INVALID_YEAR = "invalid_calendar_year"
    NOT_CONTROLLER = "not_a_deadline_controller"
    NOT_JUDGE = "not_a_judge"
    INVALID_DATA = "invalid_deadlines_data"


class DeadlinesError(DomainError):
    http_status = 422


class TermNotFoundError(NotFoundError):
    """Also what anyone who may not see a term gets."""


class DashboardForbiddenError(PermissionDeniedError):
    pass
