"""The shape of the data files the deadlines context loads: term rules and calendar exceptions."""

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from torelik.cases.models import Instance
from torelik.courts.models import ProceedingType
from torelik.deadlines.models import DayKind, Responsible, TermUnit, Trigger


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TermRuleRecord(_Strict):
    code: str = Field(pattern=r"^[a-z0-9-]{1,60}$")
    slot: str = Field(pattern=r"^[a-z0-9-]{1,60}$")
    starts_on: Trigger
    ends_on: list[Trigger] = Field(min_length=1)
    lapses_on: list[Trigger] = []
    amount: int = Field(ge=1, le=400)
    unit: TermUnit
    responsible: Responsible
    proceeding_types: list[ProceedingType] = []
    instances: list[Instance] = []
    category_prefixes: list[str] = []
    name_kk: str = Field(min_length=1, max_length=200)
    name_ru: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field(min_length=1, max_length=300)
    effective_from: dt.date
    effective_until: dt.date | None = None
    verify: bool = False
    enabled: bool = True
    note: str = ""


class TermRulesFile(_Strict):
    source: str = ""
    rules: list[TermRuleRecord]


class CalendarDayRecord(_Strict):
    day: dt.date
    kind: DayKind
    name_kk: str = Field(min_length=1, max_length=200)
    name_ru: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    legal_act: str = Field(min_length=1, max_length=300)
    verify: bool = False


class CalendarFile(_Strict):
    source: str = ""
    days: list[CalendarDayRecord]
