"""Refusals of the statistics."""

from enum import StrEnum

from torelik.core.errors import DomainError, NotFoundError


class ReportsErrorCode(StrEnum):
    BAD_PERIOD = "bad_period"
    BAD_TABLE = "bad_table"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"


class ReportsError(DomainError):
    http_status = 400


class PlaceNotFoundError(NotFoundError):
    """No such court, region or judge — or one the asker may not see."""
