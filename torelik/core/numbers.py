"""Numbers as the active language writes them (`93,0 %` in kk and ru, `93.0 %` in en; `1 500 000,00`):
what every page, chart label, CSV-free text and PDF shows. SVG coordinates are not these (core.charts)."""

from decimal import Decimal

from django.utils import formats


def number(value: float | Decimal | int, digits: int | None = None) -> str:
    return str(formats.number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True))


def percent(share: float | None, digits: int = 1) -> str:
    """A share (0.93) as a percentage (`93,0 %`); "—" when there is none."""
    return "—" if share is None else f"{number(share * 100, digits)} %"


def amount(value: Decimal) -> str:
    """A sum of tenge with two decimals and grouped thousands."""
    return number(value, 2)
