"""The shape of the registry data files that `load_courts` and `load_case_categories` read."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from torelik.courts.models import CourtKind, ProceedingType, RegionKind, Specialisation


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionRecord(_Strict):
    code: str = Field(pattern=r"^\d{2}$")
    kind: RegionKind
    name_kk: str = Field(min_length=1)
    name_ru: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    centre_kk: str = Field(min_length=1)
    centre_ru: str = Field(min_length=1)
    centre_en: str = Field(min_length=1)
    time_zone: str = "Asia/Almaty"


class CourtroomRecord(_Strict):
    number: str = Field(min_length=1, max_length=10)
    floor: int = 1
    seats: int = Field(default=20, ge=1)
    has_recording: bool = False
    has_videoconference: bool = False


class CourtRecord(_Strict):
    code: str = Field(pattern=r"^\d{4}$")
    kind: CourtKind
    specialisation: Specialisation | None = None
    region: str | None = Field(default=None, pattern=r"^\d{2}$")
    parent: str | None = Field(default=None, pattern=r"^\d{4}$")
    name_kk: str = Field(min_length=1)
    name_ru: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    address_kk: str = ""
    address_ru: str = ""
    address_en: str = ""
    phone: str = ""
    email: str = ""
    courtrooms: list[CourtroomRecord] = []


class CourtRegistryFile(_Strict):
    regions: list[RegionRecord]
    courts: list[CourtRecord]


class CaseCategoryRecord(_Strict):
    code: str = Field(pattern=r"^\d{18}$")
    parent: str | None = Field(default=None, pattern=r"^\d{18}$")
    name_kk: str = Field(min_length=1)
    name_ru: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    proceeding_type: ProceedingType
    specialisation: Specialisation
    complexity: Decimal = Field(default=Decimal("1.00"), ge=Decimal("0.10"), le=Decimal("99.99"))


class CaseCategoryFile(_Strict):
    categories: list[CaseCategoryRecord]
