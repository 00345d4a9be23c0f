"""Writes to the archive: storing a content after checking what it really is."""

import mimetypes
from typing import IO

import filetype
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.archive.errors import ArchiveError, ArchiveErrorCode
from torelik.archive.file_store import FileTooLargeError, file_store
from torelik.archive.models import StoredFile

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
    if not head:
        raise _field_error(ArchiveErrorCode.EMPTY_FILE, _("The file %(name)s is empty."), {"name": filename}, field)
    media_type = sniff_media_type(head)
    if media_type not in allowed_media_types:
        raise _field_error(
            ArchiveErrorCode.FILE_TYPE_NOT_ALLOWED,
            _("The file %(name)s is not of an accepted type (PDF, JPEG, PNG or TIFF)."),
            {"name": filename},
            field,
        )
    claimed, _encoding = mimetypes.guess_type(filename)
    if claimed is not None and claimed != media_type:
        raise _field_error(
            ArchiveErrorCode.FILE_TYPE_MISMATCH,
            _("The file %(name)s is named as %(claimed)s but its content is %(actual)s."),
            {"name": filename, "claimed": claimed, "actual": media_type},
            field,
        )
    content.seek(0)
    try:
        stored = file_store().save(content, max_size=max_size)
    except FileTooLargeError as error:
        raise _field_error(
            ArchiveErrorCode.FILE_TOO_LARGE,
            _("The file %(name)s is larger than %(limit)s MB."),
            {"name": filename, "limit": error.limit // (1024 * 1024)},
            field,
        ) from error
    with transaction.atomic():
        row, _created = StoredFile.objects.get_or_create(
            sha256=stored.sha256, defaults={"size": stored.size, "media_type": media_type}
        )
    return row
