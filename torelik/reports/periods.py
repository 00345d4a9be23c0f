"""The periods the statistics are asked for: a day (`2025-03-14`), a month (`2025-03`), a quarter
(`2025-Q1`), a half-year (`2025-H1`, the periodic report's) or a year (`2025`); by default the year so far."""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.reports.errors import ReportsError, ReportsErrorCode

_PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|H([12])|(\d{2})(?:-(\d{2}))?))?$")


class Grain:
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    text: str
    grain: str
    start: dt.date
    end: dt.date


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def parse(text: str | None) -> Period:
    """The period `text` names; the current year to today when it is empty. A translated refusal
    (400) for anything else."""
    today = clock.today()
    text = (text or "").strip()
    if not text:
        return Period(f"{today.year}", Grain.YEAR, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    match = _PATTERN.match(text)
    try:
        if match is None:
            raise ValueError(text)
        year = int(match.group(1))
        if not clock.FIRST_DAY.year <= year <= clock.LAST_DAY.year:
            raise ValueError(text)
        if match.group(2):
            quarter = int(match.group(2))
            start = dt.date(year, 3 * quarter - 2, 1)
            return Period(text, Grain.QUARTER, start, _next_month(_next_month(_next_month(start))) - dt.timedelta(1))
        if match.group(3):
            half = int(match.group(3))
            start, end = (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if half == 1
                else (dt.date(year, 7, 1), dt.date(year, 12, 31))
            )
            return Period(text, Grain.HALF_YEAR, start, end)
        if match.group(5):
            day = dt.date(year, int(match.group(4)), int(match.group(5)))
            return Period(text, Grain.DAY, day, day)
        if match.group(4):
            start = dt.date(year, int(match.group(4)), 1)
            return Period(text, Grain.MONTH, start, _next_month(start) - dt.timedelta(1))
        return Period(text, Grain.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))
    except ValueError:
        raise ReportsError(
            ReportsErrorCode.BAD_PERIOD,
            _(
                "Name a period as a year (2025), a half-year (2025-H1), a quarter (2025-Q1), a month (2025-03) or a "
                "day (2025-03-14)."
            ),
            fields={"period": [str(_("Not a period."))]},
        ) from None


def last_months(end: dt.date, count: int = 12) -> tuple[dt.date, dt.date]:
    """The `count` whole months ending with the month of `end`."""
    first = end.replace(day=1)
    for _step in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, _next_month(end) - dt.timedelta(days=1)
