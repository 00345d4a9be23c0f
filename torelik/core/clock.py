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


# The days a client may name: far enough apart for every real date of a court (and any term computed from
# one), near enough that a day's arithmetic (a period, a term, a time zone) never leaves the calendar. A
# date at its ends (0001-01-01, 9999-12-31) overflowed that arithmetic with a 500 before (ADR 0035).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


def day_in_range(day: dt.date) -> bool:
    """Whether `day` lies between FIRST_DAY and LAST_DAY."""
    return FIRST_DAY <= day <= LAST_DAY


def validate_day(day: dt.date) -> None:
    """A form field's validator: a translated refusal of a day outside FIRST_DAY..LAST_DAY."""
    from django.core.exceptions import ValidationError
    from django.utils.formats import date_format
    from django.utils.translation import gettext

    if not day_in_range(day):
        raise ValidationError(
            gettext("Enter a date between %(first)s and %(last)s.")
            % {"first": date_format(FIRST_DAY, "SHORT_DATE_FORMAT"), "last": date_format(LAST_DAY, "SHORT_DATE_FORMAT")}
        )
