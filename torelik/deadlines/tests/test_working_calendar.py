"""The calendar against dates worked out by hand from the 2026 calendar of Kazakhstan."""

import datetime as dt

import pytest

from torelik.deadlines.actions import declare_calendar_day
from torelik.deadlines.models import DayKind
from torelik.deadlines.working_calendar import SkipReason, WorkingCalendar, add_months, working_calendar

D = dt.date


def test_five_working_days_across_nauryz_2026() -> None:
    # Claim received Friday 20 March 2026. Nauryz: 21 (Sat), 22 (Sun), 23 March, and the two days
    # moved from the weekend, 24 and 25 March; then the weekend 28–29 March.
    # Counted: 26, 27, 30, 31 March, 1 April.
    result = WorkingCalendar().add_working_days(D(2026, 3, 20), 5)
    assert result.first_day == D(2026, 3, 21)
    assert result.end == D(2026, 4, 1)
    assert [d.day for d in result.skipped] == [D(2026, 3, day) for day in (21, 22, 23, 24, 25, 28, 29)]
    assert [d.reason for d in result.skipped[:5]] == [SkipReason.HOLIDAY] * 5
    assert result.skipped[5].reason == SkipReason.WEEKEND
    assert result.skipped[0].name_en == "Nowruz Holiday"
    assert result.skipped[0].name_ru == "Наурыз мейрамы"
    assert result.skipped[0].name_kk == "Наурыз мейрамы"


def test_one_month_from_31_january_ends_on_the_last_day_of_february_moved_to_monday() -> None:
    # 31 January + 1 month: February has no 31st, so 28 February 2026, a Saturday: the last day
    # moves to Monday 2 March.
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    result = WorkingCalendar().add_months(D(2026, 1, 31), 1)
    assert result.nominal_end == D(2026, 2, 28)
    assert result.end == D(2026, 3, 2)
    assert [d.day for d in result.skipped] == [D(2026, 2, 28), D(2026, 3, 1)]
    assert result.moved


def test_a_term_ending_on_a_saturday_moves_to_monday() -> None:
    # 10 days from Wednesday 8 April 2026: Saturday 18 April -> Monday 20 April.
    result = WorkingCalendar().add_days(D(2026, 4, 8), 10)
    assert result.nominal_end == D(2026, 4, 18)
    assert result.end == D(2026, 4, 20)


def test_a_month_ending_on_victory_day_moves_past_its_observed_monday() -> None:
    # 9 April + 1 month = Saturday 9 May 2026 (Victory Day); Sunday 10; Monday 11 May is the
    # holiday moved off the Saturday: the last day is Tuesday 12 May.
    result = WorkingCalendar().add_months(D(2026, 4, 9), 1)
    assert result.end == D(2026, 5, 12)
    assert [(d.day, d.reason) for d in result.skipped] == [
        (D(2026, 5, 9), SkipReason.HOLIDAY),
        (D(2026, 5, 10), SkipReason.WEEKEND),
        (D(2026, 5, 11), SkipReason.HOLIDAY),
    ]


def test_an_appeal_month_from_14_april_ends_on_14_may() -> None:
    assert WorkingCalendar().add_months(D(2026, 4, 14), 1).end == D(2026, 5, 14)


@pytest.mark.django_db
def test_a_declared_transfer_day_from_the_table_is_skipped() -> None:
    # Without the table: 5 working days from Thursday 2 April 2026 are 3, 6, 7, 8, 9 April.
    assert working_calendar().add_working_days(D(2026, 4, 2), 5).end == D(2026, 4, 9)
    declare_calendar_day(
        day=D(2026, 4, 6),
        kind=DayKind.NON_WORKING,
        name_kk="Ауыстырылған демалыс",
        name_ru="Перенесённый выходной",
        name_en="Transferred day off",
        legal_act="Постановление Правительства РК (пример)",
    )
    result = working_calendar().add_working_days(D(2026, 4, 2), 5)
    assert result.end == D(2026, 4, 10)
    declared = [d for d in result.skipped if d.reason == SkipReason.DECLARED]
    assert [(d.day, d.legal_act) for d in declared] == [(D(2026, 4, 6), "Постановление Правительства РК (пример)")]


@pytest.mark.django_db
def test_a_declared_working_saturday_counts() -> None:
    declare_calendar_day(
        day=D(2026, 4, 4),
        kind=DayKind.WORKING,
        name_kk="Жұмыс күні",
        name_ru="Рабочий день",
        name_en="Working day",
        legal_act="Постановление Правительства РК (пример)",
    )
    # 3 April (Fri), 4 April (declared working Saturday), 6, 7, 8 April.
    assert working_calendar().add_working_days(D(2026, 4, 2), 5).end == D(2026, 4, 8)
    assert working_calendar().is_working(D(2026, 4, 4))


def test_the_package_weekend_workday_of_2025_counts() -> None:
    # holidays.KZ: the day off of Sunday 5 January 2025 was moved to Friday 3 January.
    calendar = WorkingCalendar()
    assert not calendar.is_working(D(2025, 1, 3))
    assert calendar.is_working(D(2025, 1, 5))
