"""The working calendar of Kazakhstan and the arithmetic of procedural terms.

Public holidays, their observed days and the government transfers come from the `holidays` package
(`holidays.KZ`); the project table `CalendarOverride` (declared transfers, extra non-working days,
working Saturdays) overrides it. A term starts the day after its event; N working days end on the
N-th working day; N days or N months end on that calendar day (in months: the same date, or the
month's last day when it has no such date), moved to the next working day when it is not one.
The calendar as the table stands is kept by each process until the table's version changes; the
last day of a term with its pauses and extensions is `compute_due`.
"""

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import holidays

from torelik.core.i18n import localized
from torelik.deadlines.models import CalendarOverride, DayKind, Term, TermUnit

# How far a term may reach: a computation never walks more than this many days (guards bad input).
MAX_SPAN_DAYS = 3 * 366


class SkipReason(StrEnum):
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    DECLARED = "declared_non_working"


# The `holidays` package has no Russian names for Kazakhstan: ours, by its English names.
_RUSSIAN_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День столицы",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
    "Eid al-Adha": "Курбан айт",
}
_RUSSIAN_SUFFIXES = {"(observed)": "(перенесённый выходной)", "(estimated)": "(предварительно)"}
_WEEKEND_NAMES = {"kk": "демалыс күні", "ru": "выходной день", "en": "weekend"}


def _russian(name_en: str) -> str:
    for name in name_en.split("; "):
        base, _sep, suffix = name.partition(" (")
        if base in _RUSSIAN_NAMES:
            words = [_RUSSIAN_NAMES[base]]
            if suffix:
                words.append(_RUSSIAN_SUFFIXES.get(f"({suffix}", f"({suffix}"))
            return " ".join(words)
        if name.startswith("Day off (substituted"):
            return "Перенесённый выходной день"
    return name_en


@dataclass(frozen=True)
class DayInfo:
    """Why a day is not what its weekday says (or, for a weekend, that it is one)."""

    day: dt.date
    working: bool
    reason: SkipReason | None
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""
    legal_act: str = ""

    @property
    def name(self) -> str:
        return localized(self, "name")


@dataclass(frozen=True)
class Declared:
    """A row of the project table, as the calendar needs it."""

    day: dt.date
    working: bool
    name_kk: str
    name_ru: str
    name_en: str
    legal_act: str


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[dict[dt.date, tuple[str, str]], frozenset[dt.date]]:
    """Holidays of `year` as {day: (kk name, en name)} and the weekend days the government made working."""
    english = holidays.country_holidays("KZ", years=year, language="en_US")
    kazakh = holidays.country_holidays("KZ", years=year, language="kk")
    days = {day: (kazakh.get(day, name), name) for day, name in english.items()}
    return days, frozenset(d for d in english.weekend_workdays if d.year == year)


@lru_cache(maxsize=64)
def _days_off(year: int) -> frozenset[dt.date]:
    """Every non-working day of `year` by the package alone: holidays and weekends not worked."""
    package_days, working_weekends = _package_year(year)
    day, off = dt.date(year, 1, 1), set(package_days)
    while day.year == year:
        if day.weekday() >= 5 and day not in working_weekends:
            off.add(day)
        day += dt.timedelta(days=1)
    return frozenset(off)


@dataclass(frozen=True)
class Computation:
    """How a last day was found: the event, the first day, the count, the days skipped and why."""

    event_date: dt.date
    amount: int
    unit: str
    first_day: dt.date
    nominal_end: dt.date
    end: dt.date
    skipped: tuple[DayInfo, ...]

    @property
    def moved(self) -> bool:
        return self.end != self.nominal_end


class TermTooLongError(ValueError):
    """A term that would reach further than MAX_SPAN_DAYS."""


@dataclass
class WorkingCalendar:
    """The calendar with the declared days of the project table (`declared`, by day)."""

    declared: Mapping[dt.date, Declared] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[Declared]) -> "WorkingCalendar":
        return cls(declared={row.day: row for row in rows})

    def info(self, day: dt.date) -> DayInfo:
        declared = self.declared.get(day)
        if declared is not None:
            return DayInfo(
                day=day,
                working=declared.working,
                reason=None if declared.working else SkipReason.DECLARED,
                name_kk=declared.name_kk,
                name_ru=declared.name_ru,
                name_en=declared.name_en,
                legal_act=declared.legal_act,
            )
        package_days, working_weekends = _package_year(day.year)
        names = package_days.get(day)
        if names is not None:
            kazakh, english = names
            return DayInfo(
                day=day,
                working=False,
                reason=SkipReason.HOLIDAY,
                name_kk=kazakh,
                name_ru=_russian(english),
                name_en=english,
            )
        if day.weekday() >= 5 and day not in working_weekends:
            return DayInfo(day=day, working=False, reason=SkipReason.WEEKEND, **_weekend_names())
        return DayInfo(day=day, working=True, reason=None)

    def is_working(self, day: dt.date) -> bool:
        declared = self.declared.get(day)
        if declared is not None:
            return declared.working
        return day not in _days_off(day.year)

    def non_working_days(self, year: int) -> list[DayInfo]:
        """Every non-working day of `year`, and the declared working weekend days, in order."""
        day, days = dt.date(year, 1, 1), []
        while day.year == year:
            info = self.info(day)
            if not info.working or day.weekday() >= 5:
                days.append(info)
            day += dt.timedelta(days=1)
        return days

    def next_working_day(self, day: dt.date, *, explain: bool = True) -> tuple[dt.date, list[DayInfo]]:
        """`day` if it is a working day, else the next one, with the days passed over."""
        passed: list[DayInfo] = []
        for _step in range(MAX_SPAN_DAYS):
            if self.is_working(day):
                return day, passed
            if explain:
                passed.append(self.info(day))
            day += dt.timedelta(days=1)
        raise TermTooLongError(day)

    def add_working_days(self, event_date: dt.date, amount: int, *, explain: bool = True) -> Computation:
        """The `amount`-th working day after `event_date` (the event's own day is not counted)."""
        day, counted, skipped = event_date, 0, []
        while counted < amount:
            day += dt.timedelta(days=1)
            if (day - event_date).days > MAX_SPAN_DAYS:
                raise TermTooLongError(day)
            if self.is_working(day):
                counted += 1
            elif explain:
                skipped.append(self.info(day))
        return self._computation(event_date, amount, "working_days", day, day, skipped)

    def add_days(self, event_date: dt.date, amount: int, *, explain: bool = True) -> Computation:
        if amount > MAX_SPAN_DAYS:
            raise TermTooLongError(amount)
        nominal = event_date + dt.timedelta(days=amount)
        end, skipped = self.next_working_day(nominal, explain=explain)
        return self._computation(event_date, amount, "days", nominal, end, skipped)

    def add_months(self, event_date: dt.date, amount: int, *, explain: bool = True) -> Computation:
        if amount * 31 > MAX_SPAN_DAYS:
            raise TermTooLongError(amount)
        nominal = add_months(event_date, amount)
        end, skipped = self.next_working_day(nominal, explain=explain)
        return self._computation(event_date, amount, "months", nominal, end, skipped)

    def add(self, event_date: dt.date, amount: int, unit: str, *, explain: bool = True) -> Computation:
        """The last day of a term of `amount` `unit` started by an event on `event_date`; with
        `explain` False the days skipped are not listed (the due date alone, faster)."""
        if unit == "working_days":
            return self.add_working_days(event_date, amount, explain=explain)
        if unit == "days":
            return self.add_days(event_date, amount, explain=explain)
        if unit == "months":
            return self.add_months(event_date, amount, explain=explain)
        raise ValueError(unit)

    def working_days_between(self, after: dt.date, until: dt.date) -> int:
        """Working days in (after, until]."""
        day, count = after, 0
        while day < until:
            day += dt.timedelta(days=1)
            count += self.is_working(day)
        return count

    @staticmethod
    def _computation(
        event_date: dt.date, amount: int, unit: str, nominal: dt.date, end: dt.date, skipped: list[DayInfo]
    ) -> Computation:
        return Computation(
            event_date=event_date,
            amount=amount,
            unit=unit,
            first_day=event_date + dt.timedelta(days=1),
            nominal_end=nominal,
            end=end,
            skipped=tuple(skipped),
        )


def _weekend_names() -> dict[str, str]:
    return {f"name_{code}": name for code, name in _WEEKEND_NAMES.items()}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date `months` later, or the last day of that month when it has no such date."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- The calendar as the project table declares it ----------------------------------------------


def _load_calendar() -> WorkingCalendar:
    return WorkingCalendar.of(
        Declared(
            day=row.day,
            working=row.kind == DayKind.WORKING,
            name_kk=row.name_kk,
            name_ru=row.name_ru,
            name_en=row.name_en,
            legal_act=row.legal_act,
        )
        for row in CalendarOverride.objects.all()
    )


def working_calendar() -> WorkingCalendar:
    """The calendar with the project table as it stands now (one small query)."""
    return _load_calendar()


_calendar: tuple[tuple[Any, Any], WorkingCalendar] | None = None


def calendar_of_version(version: tuple[Any, Any]) -> WorkingCalendar:
    """The calendar, reloaded only when the table's version differs from the one kept."""
    global _calendar  # noqa: PLW0603 - the process-wide copy of a small table
    if _calendar is None or _calendar[0] != version:
        _calendar = (version, _load_calendar())
    return _calendar[1]


def forget_calendar() -> None:
    """Drop the process-wide copy of the calendar (the table changed under us)."""
    global _calendar  # noqa: PLW0603
    _calendar = None


def compute_due(calendar: WorkingCalendar, term: Term) -> dt.date:
    """The last day of `term`: its base computation, then each pause and extension in order.

    A pause stops the count on the day of the suspension; on the day proceedings resume, what
    remained (in working days for a working-day term, else in calendar days) runs again. What
    remained of a calendar term is counted to its nominal end: the days by which a last day was
    moved off a weekend or holiday are not part of the term, so they are not carried over (the
    new end is moved again if it falls on a non-working day). A term that had not run out when it
    was paused never ends before the day proceedings resume."""
    computed = calendar.add(term.event_date, term.amount, term.unit, explain=False)
    due, nominal = computed.end, computed.nominal_end
    for adjustment in term.adjustments:
        if adjustment.get("kind") == "pause" and adjustment.get("to"):
            paused_on = dt.date.fromisoformat(adjustment["from"])
            resumed_on = dt.date.fromisoformat(adjustment["to"])
            if paused_on > due:
                continue  # it had run out before the pause (a term runs to the end of its last day)
            if term.unit == TermUnit.WORKING_DAYS:
                remaining = calendar.working_days_between(paused_on, due)
                computed = calendar.add_working_days(resumed_on - dt.timedelta(days=1), remaining, explain=False)
            else:
                remaining = max((nominal - paused_on).days, 0)
                computed = calendar.add_days(resumed_on - dt.timedelta(days=1), remaining, explain=False)
            due, nominal = computed.end, computed.nominal_end
            if due < resumed_on:
                due = nominal = calendar.next_working_day(resumed_on, explain=False)[0]
        elif adjustment.get("kind") == "extension":
            computed = calendar.add(due, int(adjustment["amount"]), str(adjustment["unit"]), explain=False)
            due, nominal = computed.end, computed.nominal_end
    return due
