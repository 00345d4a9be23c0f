"""The price of a letter: dated rate rows (`data/rates.json`, validated by pydantic) by kind and weight
class; a letter keeps the amount and the date of the row that priced it."""

import datetime as dt
import functools
import json
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

DATA = Path(__file__).parent / "data" / "rates.json"
WEIGHT_LABELS = {"w20": _("up to 20 g"), "w50": _("up to 50 g"), "w100": _("up to 100 g")}
SHEETS_PER_CLASS = (("w20", 4), ("w50", 10), ("w100", 20))  # A4 sheets of 80 g/m² (5 g each) with the envelope


class Rate(BaseModel):
    kind: str = Field(pattern="^(registered|hybrid)$")
    weight_class: str = Field(pattern="^w(20|50|100)$")
    amount: int = Field(ge=1, le=100_000)
    effective_from: dt.date
    basis_kk: str
    basis_ru: str
    basis_en: str


class RateTable(BaseModel):
    source: str
    rates: list[Rate]


@functools.cache
def rate_table() -> RateTable:
    return RateTable.model_validate(json.loads(DATA.read_text(encoding="utf-8")))


def weight_class(sheets: int) -> str:
    """The weight class of a letter of `sheets` A4 sheets (the heaviest class beyond its limit)."""
    for name, limit in SHEETS_PER_CLASS:
        if sheets <= limit:
            return name
    return SHEETS_PER_CLASS[-1][0]


def rate_for(kind: str, weight: str, day: dt.date) -> Rate | None:
    """The row in force on `day` for this kind and weight class (the latest that started by then)."""
    rows = [r for r in rate_table().rates if r.kind == kind and r.weight_class == weight and r.effective_from <= day]
    return max(rows, key=lambda r: r.effective_from, default=None)
