"""Refusals of the publication context."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError, PermissionDeniedError


class PublicationErrorCode(StrEnum):
    NOT_FOUND = "published_act_not_found"
    NOT_A_REVIEWER = "publication_not_a_reviewer"
    CLOSED = "publication_closed_by_law"
    BAD_SPAN = "publication_bad_span"
    NOT_DUE = "publication_not_due"
    EMPTY_MESSAGE = "publication_empty_message"
    BAD_QUERY = "publication_bad_query"
    ALREADY_ANSWERED = "publication_correction_already_answered"
    REASON_REQUIRED = "publication_refusal_needs_a_reason"


class PublicationError(DomainError):
    http_status = 422


class PublicationForbiddenError(PermissionDeniedError):
    pass


class PublishedActNotFoundError(NotFoundError):
    pass
