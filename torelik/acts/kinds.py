"""The kinds of judicial acts as data (`data/act_kinds.json`): by proceeding and instance, which end
a case, which may be appealed, in what term counted from which event, how each enters into force,
and the legal act that says so. Loaded once per process and validated by pydantic."""

import functools
import json
from enum import StrEnum
from pathlib import Path

from django.utils.translation import get_language
from pydantic import BaseModel, ConfigDict, Field

DATA = Path(__file__).parent / "data" / "act_kinds.json"


class AppealFrom(StrEnum):
    ANNOUNCED = "announced"
    FINAL_FORM = "final_form"
    SERVED = "served"


class Force(StrEnum):
    ON_SIGNING = "on_signing"
    AFTER_APPEAL_TERM = "after_appeal_term"
    ON_REVIEW = "on_review"


class ActKind(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z-]{3,40}$")
    document_type: str
    proceeding_types: tuple[str, ...]
    instances: tuple[str, ...]
    name_kk: str
    name_ru: str
    name_en: str
    ends_case: bool
    appealable: bool
    review: str
    appeal_amount: int = Field(ge=0, le=12 * 31)
    appeal_unit: str = Field(pattern=r"^(days|working_days|months)$")
    appeal_from: AppealFrom
    force: Force
    legal_basis: str = Field(min_length=10)
    verify: bool
    writ: bool

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return str(getattr(self, f"name_{language}", self.name_ru))


class FinalFormTerm(BaseModel):
    """The term for the reasoned act after the case is heard; an act signed later is drafted late."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    amount: int = Field(ge=1, le=60)
    unit: str = Field(pattern=r"^(days|working_days|months)$")
    counted_from: str = Field(alias="from")
    legal_basis: str = Field(min_length=10)
    verify: bool


class ResponsesTerm(BaseModel):
    """The term the other parties have to respond to an appeal, counted from the day it was filed;
    the case goes to the higher court once it and the appeal term have run (ADR 0068)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    amount: int = Field(ge=1, le=60)
    unit: str = Field(pattern=r"^(days|working_days|months)$")
    counted_from: str = Field(alias="from", pattern=r"^appeal_filed$")
    legal_basis: str = Field(min_length=10)
    verify: bool


class KindsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    final_form: FinalFormTerm
    responses: ResponsesTerm
    kinds: list[ActKind]


@functools.cache
def _file() -> KindsFile:
    return KindsFile.model_validate(json.loads(DATA.read_text(encoding="utf-8")))


@functools.cache
def _kinds() -> dict[str, ActKind]:
    return {kind.code: kind for kind in _file().kinds}


def final_form_term() -> FinalFormTerm:
    return _file().final_form


def responses_term() -> ResponsesTerm:
    return _file().responses


def all_kinds() -> list[ActKind]:
    return list(_kinds().values())


def kind_of(code: str) -> ActKind | None:
    return _kinds().get(code)


def kinds_for(proceeding_type: str, instance: str) -> list[ActKind]:
    """The kinds of act a case of this proceeding and instance may have."""
    return [k for k in _kinds().values() if proceeding_type in k.proceeding_types and instance in k.instances]
