"""Refusals of the archive."""

from enum import StrEnum

from torelik.core.errors import DomainError


class ArchiveErrorCode(StrEnum):
    EMPTY_FILE = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed"
    FILE_TYPE_MISMATCH = "file_type_mismatch"
    LOG_NOT_CONFIGURED = "log_not_configured"
    BAD_WITNESS_KEY = "bad_witness_key"
    UNKNOWN_WITNESS = "unknown_witness"
    UNKNOWN_CHECKPOINT = "unknown_checkpoint"
    BAD_COSIGNATURE = "bad_cosignature"
    NOT_IN_LOG = "not_in_log"
    BAD_RANGE = "bad_range"


class ArchiveError(DomainError):
    http_status = 422


class LogEntryNotFoundError(ArchiveError):
    http_status = 404
