"""JSON API of the court registry: `/api/v1/courts`, `/api/v1/courts/{code}`, `/api/v1/case-categories`."""

from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from torelik.core.api import Pagination
from torelik.core.i18n import localized
from torelik.courts import queries
from torelik.courts.models import CaseCategory, Court, CourtKind, Courtroom, Judge, ProceedingType, Specialisation

router = Router(tags=["courts"])

CourtCode = Annotated[str, Field(pattern=r"^\d{4}$", description="4-digit court code")]


class RegionOut(Schema):
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str


class CourtSummaryOut(Schema):
    code: str
    kind: CourtKind
    specialisation: Specialisation | None
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    region: RegionOut | None
    parent: str | None = Field(description="code of the higher court")
    address: str
    phone: str
    judge_count: int
    courtroom_count: int

    @staticmethod
    def resolve_specialisation(obj: Court) -> str | None:
        return obj.specialisation or None

    @staticmethod
    def resolve_name(obj: Court) -> str:
        return obj.name

    @staticmethod
    def resolve_address(obj: Court) -> str:
        return obj.address

    @staticmethod
    def resolve_region(obj: Court) -> RegionOut | None:
        region = obj.region
        if region is None:
            return None
        return RegionOut(
            code=region.code, name=region.name, name_kk=region.name_kk, name_ru=region.name_ru, name_en=region.name_en
        )

    @staticmethod
    def resolve_parent(obj: Court) -> str | None:
        return obj.parent.code if obj.parent else None


class CourtroomOut(Schema):
    number: str
    floor: int
    seats: int
    has_recording: bool
    has_videoconference: bool


class JudgeOut(Schema):
    name: str
    specialisations: list[Specialisation]
    participation_rate: Decimal

    @staticmethod
    def resolve_name(obj: Judge) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_specialisations(obj: Judge) -> list[str]:
        return sorted(s.specialisation for s in obj.specialisations.all())


class CourtOut(CourtSummaryOut):
    address_kk: str
    address_ru: str
    address_en: str
    email: str
    courtrooms: list[CourtroomOut]
    judges: list[JudgeOut]

    @staticmethod
    def resolve_courtrooms(obj: Court) -> list[Courtroom]:
        return list(queries.courtrooms_of(obj))

    @staticmethod
    def resolve_judges(obj: Court) -> list[Judge]:
        return list(queries.judges_of(obj))


class CourtFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{2}$", description="2-digit region code")
    kind: CourtKind | None = None
    q: str | None = Field(None, min_length=1, max_length=100, description="code or part of the name")


class CaseCategoryOut(Schema):
    code: str
    parent: str | None
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    proceeding_type: ProceedingType
    specialisation: Specialisation
    complexity: Decimal

    @staticmethod
    def resolve_parent(obj: CaseCategory) -> str | None:
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_name(obj: CaseCategory) -> str:
        return localized(obj, "name")


class CaseCategoryFilters(Schema):
    proceeding_type: ProceedingType | None = None
    q: str | None = Field(None, min_length=1, max_length=100)


@router.get("/courts", response=list[CourtSummaryOut], summary="List courts")
@paginate(Pagination)
def list_courts(request: HttpRequest, filters: Query[CourtFilters]) -> QuerySet[Court]:
    return queries.search_courts(region=filters.region, kind=filters.kind, q=filters.q)


@router.get("/courts/{code}", response=CourtOut, summary="One court with its courtrooms and judges")
def get_court(request: HttpRequest, code: CourtCode) -> Court:
    return queries.get_court(code)


@router.get("/case-categories", response=list[CaseCategoryOut], summary="The case-category classifier")
@paginate(Pagination)
def list_case_categories(request: HttpRequest, filters: Query[CaseCategoryFilters]) -> QuerySet[CaseCategory]:
    return queries.search_case_categories(proceeding_type=filters.proceeding_type, q=filters.q)
