"""The shape of the data files the deadlines context loads: term rules and calendar exceptions."""

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from torelik.cases.models import Instance
from torelik.courts.models import ProceedingType
from torelik.deadlines.models import DayKind, Responsible, TermUnit, Trigger

#: A legal act named as Kazakh acts are cited: its title, then "от <day> <month> <year> года № <number>"
#: (e.g. "Гражданский процессуальный кодекс Республики Казахстан от 31 октября 2015 года № 377-V").
CITATION = re.compile(
    r"^(?P<title>\S.{4,}?) от (?P<day>[1-9]|[12]\d|3[01]) (?P<month>января|февраля|марта|апреля|мая|июня|июля|"
    r"августа|сентября|октября|ноября|декабря) (?P<year>(19|20)\d\d) года № (?P<number>\d+(-[IVX]+)?)(\b|$)"
)
#: Words that must never reach a party in the deadlines data (issue #30).
PLACEHOLDERS = ("verify", "estimated", "as reported in the press", "no act found", "предварительно")


def citation_problem(text: str) -> str | None:
    """Why `text` does not name a legal act (title, date and number), or None when it does."""
    if CITATION.match(text) is None:
        return "does not name its legal act as «title от DAY MONTH YEAR года № NUMBER»"
    return placeholder_problem(text)


def placeholder_problem(text: str) -> str | None:
    lowered = text.lower()
    found = [word for word in PLACEHOLDERS if word in lowered]
    return f"holds a placeholder: {', '.join(found)}" if found else None


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

    @model_validator(mode="after")
    def _names_its_act(self) -> "TermRuleRecord":
        """A rule in use names its legal act; no rule carries a placeholder a party could be shown."""
        problem = citation_problem(self.legal_basis) if self.enabled else placeholder_problem(self.legal_basis)
        problem = problem or placeholder_problem(" ".join((self.name_kk, self.name_ru, self.name_en, self.note)))
        if problem:
            raise ValueError(f"rule {self.code}: legal_basis {problem}")
        return self


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
    verify: bool = False  # provisional: the day depends on an act not adopted yet

    @model_validator(mode="after")
    def _names_its_act(self) -> "CalendarDayRecord":
        """A declared day names its act; a provisional one names the act it waits for, without a number."""
        problem = placeholder_problem(self.legal_act) if self.verify else citation_problem(self.legal_act)
        problem = problem or placeholder_problem(" ".join((self.name_kk, self.name_ru, self.name_en)))
        if problem:
            raise ValueError(f"day {self.day}: legal_act {problem}")
        return self


class CalendarFile(_Strict):
    source: str = ""
    days: list[CalendarDayRecord]
