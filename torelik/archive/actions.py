"""Writes to the archive: storing a content after checking what it really is."""

import io
import mimetypes
from pathlib import Path
from typing import IO

import filetype
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.archive.errors import ArchiveError, ArchiveErrorCode
from torelik.archive.file_store import FileTooLargeError, file_store

# The transparency log's writes, for the contexts that own the facts it records.
from torelik.archive.log import (
    LogReceipt,
    NewEntry,
    append_entries,
    append_entry,
    log_act,
    sequence_and_checkpoint,
    timestamp_checkpoint,
)
from torelik.archive.models import LogEntryKind, StoredFile
from torelik.core.rows import created_or_read

# What court documents may be: scans and PDFs. Types are sniffed from the bytes, never trusted
# from the name or the browser.
DOCUMENT_MEDIA_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/tiff"})
SNIFF_BYTES = 8192


def sniff_media_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def _field_error(
    code: ArchiveErrorCode, message: "str | Promise", params: dict[str, object], field: str
) -> ArchiveError:
    error = ArchiveError(code, message, params=params)
    error.fields = {field: [error.message]}
    return error


def store_file(
    *,
    content: IO[bytes],
    filename: str,
    max_size: int,
    allowed_media_types: frozenset[str] = DOCUMENT_MEDIA_TYPES,
    field: str = "file",
) -> StoredFile:
    """Store `content` in the file store and return its row. Refuses an empty or oversized file,
    a type that is not allowed, and a file whose name claims another type than its bytes."""
    head = content.read(SNIFF_BYTES)
    media_type = _checked_media_type(head, filename, allowed_media_types, field)
    content.seek(0)
    try:
        stored = file_store().save(content, max_size=max_size)
    except FileTooLargeError as error:
        raise _too_large(filename, error.limit, field) from error
    return _row(stored.sha256, stored.size, media_type)


def store_content(data: bytes, media_type: str) -> StoredFile:
    """Store bytes the system made itself (a manifest, a signature: no type to sniff) and return their row."""
    stored = file_store().save(io.BytesIO(data))
    return _row(stored.sha256, stored.size, media_type)


def store_stream(content: IO[bytes], media_type: str) -> StoredFile:
    """Store a stream the system wrote itself (an open-data export: too large for memory) and return its row."""
    stored = file_store().save(content)
    return _row(stored.sha256, stored.size, media_type)


def reuse_stored_file(
    stored: StoredFile,
    *,
    filename: str,
    max_size: int,
    allowed_media_types: frozenset[str] = DOCUMENT_MEDIA_TYPES,
    field: str = "file",
) -> StoredFile:
    """A file already in the store (its type sniffed when it was stored), taken for another use
    without reading and storing it again: the size and type limits of that use still apply."""
    if not file_store().exists(stored.sha256):  # a store that lost a file is a fault, not bad input
        raise FileNotFoundError(f"the stored file {stored.sha256} is not in the file store")
    if stored.size == 0:
        raise _empty(filename, field)
    if stored.size > max_size:
        raise _too_large(filename, max_size, field)
    if stored.media_type not in allowed_media_types:  # sniffed from its bytes when it was stored
        raise _not_allowed(filename, field)
    return stored


def store_received_file(
    *,
    path: Path,
    sha256: str,
    filename: str,
    allowed_media_types: frozenset[str] = DOCUMENT_MEDIA_TYPES,
    field: str = "file",
) -> StoredFile:
    """Keep a file already received on the store's disk whose SHA-256 was computed while it was
    received (a recording uploaded in pieces): the same type checks as `store_file`, then the file
    is moved into the store rather than read and copied again."""
    with path.open("rb") as content:
        head = content.read(SNIFF_BYTES)
    media_type = _checked_media_type(head, filename, allowed_media_types, field)
    size = path.stat().st_size
    file_store().adopt(path, sha256=sha256)
    return _row(sha256, size, media_type)


def _row(sha256: str, size: int, media_type: str) -> StoredFile:
    """The row of a content, created if it is new; a concurrent creator of the same content is no error
    (one statement for a new content; a known one, or one another creator has just stored, is read)."""
    new = StoredFile(sha256=sha256, size=size, media_type=media_type)
    return created_or_read({sha256: new}, "sha256")[sha256]


def _too_large(filename: str, limit: int, field: str) -> ArchiveError:
    return _field_error(
        ArchiveErrorCode.FILE_TOO_LARGE,
        _("The file %(name)s is larger than %(limit)s MB."),
        {"name": filename, "limit": limit // (1024 * 1024)},
        field,
    )


def _empty(filename: str, field: str) -> ArchiveError:
    return _field_error(ArchiveErrorCode.EMPTY_FILE, _("The file %(name)s is empty."), {"name": filename}, field)


def _not_allowed(filename: str, field: str) -> ArchiveError:
    return _field_error(
        ArchiveErrorCode.FILE_TYPE_NOT_ALLOWED,
        _("The file %(name)s is not of an accepted type (PDF, JPEG, PNG or TIFF)."),
        {"name": filename},
        field,
    )


def checked_media_type(head: bytes, filename: str, allowed_media_types: frozenset[str], field: str = "file") -> str:
    """The media type sniffed from a file's first SNIFF_BYTES, if allowed and agreeing with the name's;
    ArchiveError otherwise (what `store_file` asks, for callers that receive a file in pieces)."""
    return _checked_media_type(head, filename, allowed_media_types, field)


def _checked_media_type(head: bytes, filename: str, allowed_media_types: frozenset[str], field: str) -> str:
    if not head:
        raise _empty(filename, field)
    media_type = sniff_media_type(head)
    if media_type is None or media_type not in allowed_media_types:
        raise _not_allowed(filename, field)
    claimed, _encoding = mimetypes.guess_type(filename)
    if claimed is not None and claimed != media_type:
        raise _field_error(
            ArchiveErrorCode.FILE_TYPE_MISMATCH,
            _("The file %(name)s is named as %(claimed)s but its content is %(actual)s."),
            {"name": filename, "claimed": claimed, "actual": media_type},
            field,
        )
    return media_type


__all__ = [
    "LogEntryKind",
    "LogReceipt",
    "NewEntry",
    "append_entries",
    "append_entry",
    "log_act",
    "reuse_stored_file",
    "sequence_and_checkpoint",
    "store_content",
    "store_file",
    "store_received_file",
    "timestamp_checkpoint",
]
