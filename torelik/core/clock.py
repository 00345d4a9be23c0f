"""The one source of "now" for the domain, which tests can freeze."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_frozen: ContextVar[dt.datetime | None] = ContextVar("torelik_frozen_now", default=None)


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return _frozen.get() or timezone.now()


def today() -> dt.date:
    """Today's date in the country's time zone (settings.TIME_ZONE)."""
    return timezone.localdate(now())


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Make `now()` return `moment` inside the block (for tests and for replaying history)."""
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)


def is_frozen() -> bool:
    """Whether `now()` is frozen (a test, or history being replayed): then nobody should wait for time to pass."""
    return _frozen.get() is not None
