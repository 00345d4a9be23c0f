"""Money in tenge, the MCI table and the freezable clock."""

import datetime as dt
from decimal import Decimal

import pytest

from torelik.core import clock
from torelik.core.errors import NotFoundError
from torelik.core.models import mci_on, mci_to_tenge
from torelik.core.money import format_tenge, tenge


@pytest.mark.django_db
def test_mci_follows_the_budget_law_of_each_year() -> None:
    # МРП: 3,932 ₸ in 2025 and 4,325 ₸ in 2026 (republican budget laws).
    assert mci_on(dt.date(2025, 12, 31)) == Decimal("3932")
    assert mci_on(dt.date(2026, 1, 1)) == Decimal("4325")
    assert mci_on(dt.date(2026, 11, 28)) == Decimal("4325")


@pytest.mark.django_db
def test_fee_set_in_mci_is_converted_on_the_day() -> None:
    # A complaint by an individual against a state body: 0.3 MCI.
    assert mci_to_tenge(Decimal("0.3"), on=dt.date(2026, 3, 2)) == Decimal("1297.50")
    assert mci_to_tenge(Decimal("0.3"), on=dt.date(2025, 3, 3)) == Decimal("1179.60")


@pytest.mark.django_db
def test_no_mci_before_the_table_begins() -> None:
    with pytest.raises(NotFoundError):
        mci_on(dt.date(2000, 1, 1))


def test_tenge_rounds_half_up_to_the_tiyn() -> None:
    assert tenge("10.005") == Decimal("10.01")
    assert format_tenge(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50 ₸"
    assert format_tenge(Decimal("-5")) == "-5,00 ₸"


def test_frozen_clock_returns_the_frozen_moment() -> None:
    moment = dt.datetime(2026, 3, 21, 19, 30, tzinfo=dt.UTC)
    with clock.frozen_at(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2026, 3, 22)  # already the 22nd in Kazakhstan (UTC+5)
    assert clock.now() != moment


def test_frozen_clock_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"), clock.frozen_at(dt.datetime(2026, 1, 1)):  # noqa: DTZ001
        pass
