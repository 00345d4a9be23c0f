from enum import StrEnum

from torelik.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError


class DistributionErrorCode(StrEnum):
    NO_DRAW = "distribution_not_found"
    NOT_ALLOWED = "redistribution_not_allowed"
    PENDING = "distribution_pending"
    NO_JUDGE = "case_has_no_judge"
    FACTS_MISSING = "redistribution_facts_missing"
    INVALID_PERIOD = "invalid_period"


class DistributionError(DomainError):
    http_status = 422


class DrawNotFoundError(NotFoundError):
    pass


class DrawPendingError(ConflictError):
    pass


class DistributionForbiddenError(PermissionDeniedError):
    pass
