"""Retrying a short write that SQLite refused because another thread held the database: the sender and
the delivery-report endpoint write at the same moment (Kannel reports within milliseconds). A file
database waits by itself (the `timeout` option); the shared in-memory database of the test suite
answers "database table is locked" at once. PostgreSQL never gets here."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")


def retry_when_locked(write: Callable[[], T], *, attempts: int = 100, pause: float = 0.02) -> T:
    """Run `write` (its own transaction), again after a pause while SQLite says it is locked."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as error:
            locked = connection.vendor == "sqlite" and "locked" in str(error)
            if not locked or connection.in_atomic_block or attempt == attempts - 1:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")
