"""Refusals of the archive."""

from enum import StrEnum

from torelik.core.errors import DomainError


class ArchiveErrorCode(StrEnum):
    EMPTY_FILE = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed"
    FILE_TYPE_MISMATCH = "file_type_mismatch"


class ArchiveError(DomainError):
    http_status = 422
