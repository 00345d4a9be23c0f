"""JSON API of the court registry: `/api/v1/courts`, `/api/v1/courts/{code}`, `/api/v1/case-categories`."""

from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from torelik.core.api import MAX_OFFSET, Pagination
from torelik.core.i18n import active_language, localized, localized_row
from torelik.courts import queries, registry
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
    url: str = Field(description="the full record's address")

    @staticmethod
    def resolve_specialisation(obj: Court) -> str | None:
        return obj.specialisation or None

    @staticmethod
    def resolve_name(obj: Court) -> str:
        return obj.name

    @staticmethod
    def resolve_url(obj: Court) -> str:
        return f"/api/v1/courts/{obj.code}"

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


class CourtBriefOut(Schema):
    """A court as a list shows it (`?shape=brief`): its name in the requested language, codes, a link."""

    code: str
    kind: CourtKind
    name: str
    region: str | None = Field(description="2-digit region code")
    parent: str | None = Field(description="code of the higher court")
    url: str = Field(description="the full record's address")


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


Language = Literal["kk", "ru", "en"]
LANG_DESCRIPTION = "the language of `name` and `address` (else Accept-Language)"


class CourtFilters(Schema):
    region: str | None = Field(None, pattern=r"^\d{2}$", description="2-digit region code")
    kind: CourtKind | None = None
    q: str | None = Field(None, min_length=1, max_length=100, description="code or part of the name")
    lang: Language | None = Field(None, description=LANG_DESCRIPTION)
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)  # bounded as every list's (core.api.Pagination, ADR 0035)
    shape: Literal["full", "brief"] = Field(
        "full",
        description="`brief`: each row only its name in the requested language, codes and its record's address "
        "(about a fifth of the size); `full` (the default, as before): names in three languages, the region, "
        "address, phone and counts",
    )


class CourtPageOut(Schema):
    items: list[CourtSummaryOut]
    count: int


class CourtBriefPageOut(Schema):
    items: list[CourtBriefOut]
    count: int


def _brief_page(filters: CourtFilters) -> bytes:
    rows, count = queries.court_brief_rows(
        region=filters.region, kind=filters.kind, q=filters.q, offset=filters.offset, limit=filters.limit
    )
    language = active_language()
    items = [
        {
            "code": row["code"],
            "kind": row["kind"],
            "name": localized_row(row, "name", language),
            "region": row["region__code"],
            "parent": row["parent__code"],
            "url": f"/api/v1/courts/{row['code']}",
        }
        for row in rows
    ]
    return CourtBriefPageOut.model_validate({"items": items, "count": count}).model_dump_json().encode()


class CourtIn(Schema):
    lang: Language | None = Field(None, description=LANG_DESCRIPTION)


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


@router.get("/courts", response=CourtPageOut | CourtBriefPageOut, summary="List courts")
def list_courts(request: HttpRequest, filters: Query[CourtFilters]) -> HttpResponse:
    """A page of active courts, in full or (`?shape=brief`) as a list needs them. Cacheable: `ETag`,
    `Last-Modified`, `Cache-Control`; `304` on `If-None-Match`."""
    with translation.override(filters.lang or translation.get_language()):
        key = (
            "courts",
            filters.region,
            filters.kind,
            filters.q,
            filters.limit,
            filters.offset,
            translation.get_language(),
            filters.shape,
        )

        def build() -> bytes:
            if filters.shape == "brief":
                return _brief_page(filters)
            courts = queries.search_courts(region=filters.region, kind=filters.kind, q=filters.q)
            items = list(courts[filters.offset : filters.offset + filters.limit])
            return CourtPageOut.model_validate({"items": items, "count": courts.count()}).model_dump_json().encode()

        return registry.respond(request, registry.answer(key, build))


@router.get("/courts/{code}", response=CourtOut, summary="One court with its courtrooms and judges")
def get_court(request: HttpRequest, code: CourtCode, options: Query[CourtIn]) -> HttpResponse:
    """One active court. Cacheable as the list is."""
    with translation.override(options.lang or translation.get_language()):
        key = ("court", code, translation.get_language())
        found = registry.answer(
            key, lambda: CourtOut.model_validate(queries.get_court(code)).model_dump_json().encode()
        )
        return registry.respond(request, found)


@router.get("/case-categories", response=list[CaseCategoryOut], summary="The case-category classifier")
@paginate(Pagination)
def list_case_categories(request: HttpRequest, filters: Query[CaseCategoryFilters]) -> QuerySet[CaseCategory]:
    return queries.search_case_categories(proceeding_type=filters.proceeding_type, q=filters.q)
