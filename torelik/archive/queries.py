"""Reads from the archive."""

from typing import IO

from torelik.archive.file_store import file_store
from torelik.archive.models import StoredFile


def open_stored_file(stored: StoredFile) -> IO[bytes]:
    return file_store().open(stored.sha256)


def check_file_store() -> None:
    """Raise when the file store cannot be written (for /readyz)."""
    file_store().check()
