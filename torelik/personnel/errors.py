"""Refusals of the personnel records."""

from enum import StrEnum

from torelik.core.errors import ConflictError, DomainError, NotFoundError


class PersonnelErrorCode(StrEnum):
    POST_NOT_FOUND = "post_not_found"
    POST_FILLED = "post_filled"
    PERSON_NOT_FOUND = "person_not_found"
    DATES_REVERSED = "dates_reversed"
    TERM_REQUIRED = "term_required"
    ABSENCE_OVERLAPS = "absence_overlaps"
    NOT_EMPLOYED = "not_employed"
    POSTS_COUNT = "posts_count"
    POST_HELD = "post_held"


class PersonnelError(DomainError):
    http_status = 422


class PersonnelNotFound(NotFoundError):
    pass


class PersonnelConflict(ConflictError):
    pass
