"""The open API of published acts (public, JSON, no login): the search with its facets, one act, and
the bulk export by month with its manifest. Mounted before the acts context's router, whose
`/acts/{act_id}` is the staff's view of an act."""

import datetime as dt
import uuid

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from torelik.archive.file_store import file_store
from torelik.core.api import ErrorOut
from torelik.publication import export, queries
from torelik.publication.models import PublishedAct

router = Router(tags=["published acts"])


class SearchIn(Schema):
    q: str = Field("", max_length=queries.MAX_QUERY)
    court: str = Field("", max_length=4)
    region: str = Field("", max_length=2)
    category: str = Field("", max_length=18)
    kind: str = Field("", max_length=40)
    proceeding_type: str = Field("", max_length=25)
    instance: str = Field("", max_length=10)
    outcome: str = Field("", max_length=12)
    year: int | None = Field(None, ge=1991, le=2100)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = Field("date", pattern="^(date|relevance)$")
    page: int = Field(1, ge=1, le=10000)
    after: str = Field(
        "", pattern=r"^(\d{4}-\d{2}-\d{2}\.\d{1,12})?$", description="keyset: `next_after` of the previous page"
    )


class CodeName(Schema):
    code: str
    name: str


class FacetOut(Schema):
    value: str
    label: str
    count: int


class ActSummaryOut(Schema):
    id: uuid.UUID
    url: str
    case_number: str
    court: CodeName
    category: CodeName
    kind: str
    date: dt.date
    language: str
    title: str
    snippet: str


class SearchOut(Schema):
    total: int
    total_is_lower_bound: bool = Field(False, description="more acts match than `total`; facet counts are lower bounds")
    page: int
    pages: int
    next_after: str = Field("", description="pass as `after` for the next page in date order")
    items: list[ActSummaryOut]
    facets: dict[str, list[FacetOut]]


class ActOut(Schema):
    id: uuid.UUID
    url: str
    case_number: str
    court: CodeName
    region: str
    category: CodeName
    kind: str
    proceeding_type: str
    instance: str
    outcome: str
    date: dt.date
    language: str
    title: str
    text: str


class ExportFileOut(Schema):
    month: str
    file: str
    url: str
    lines: int
    bytes: int
    sha256: str
    written_at: dt.datetime


class ManifestOut(Schema):
    files: list[ExportFileOut]


def _name(obj: object, language: str) -> str:
    return str(getattr(obj, f"name_{language}", "") or getattr(obj, "name_ru", ""))


def _language() -> str:
    current = translation.get_language() or "ru"
    return current if current in ("kk", "ru", "en") else "ru"


def _url(act: PublishedAct, language: str) -> str:
    return f"/{language}/acts/published/{act.public_id}/"


@router.get("/acts", response={200: SearchOut, 422: ErrorOut}, auth=None, summary="Public: search published acts")
def search(request: HttpRequest, params: Query[SearchIn]) -> SearchOut:
    language = _language()
    results = queries.search(queries.Filters(**params.dict()), language=language)
    return SearchOut(
        total=results.total,
        total_is_lower_bound=results.capped,
        next_after=results.next_after,
        page=results.page,
        pages=results.pages,
        items=[
            ActSummaryOut(
                id=h.act.public_id,
                url=_url(h.act, language),
                case_number=h.act.case_number,
                court=CodeName(code=h.act.court.code, name=_name(h.act.court, language)),
                category=CodeName(code=h.act.category.code, name=_name(h.act.category, language)),
                kind=h.act.kind,
                date=h.act.decided_on,
                language=h.act.language,
                title=h.act.title,
                snippet=str(h.snippet),
            )
            for h in results.hits
        ],
        facets={
            name: [FacetOut(value=v.value, label=v.label, count=v.count) for v in values]
            for name, values in results.facets.items()
        },
    )


@router.get("/acts/export", response={200: ManifestOut}, auth=None, summary="Public: the bulk export's manifest")
def manifest(request: HttpRequest) -> ManifestOut:
    return ManifestOut(files=[ExportFileOut(**f) for f in export.manifest()])  # type: ignore[arg-type]


@router.get(
    "/acts/export/{month}.jsonl",
    response={200: None, 404: ErrorOut},
    auth=None,
    summary="Public: the published acts of a month (JSON lines)",
)
def month_file(request: HttpRequest, month: str) -> HttpResponse | FileResponse | tuple[int, dict[str, object]]:
    """The file the workers wrote for the month (ADR 0073), streamed from the archive's file store."""
    written = queries.export_file(month) if export.MONTH.match(month) else None
    if written is None:
        return 404, {
            "code": "export_month_not_found",
            "message": str(gettext_lazy("No acts were published for this month.")),
            "fields": {},
        }
    response = FileResponse(file_store().open(written.sha256), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="acts-{month}.jsonl"'
    response["Content-Length"] = str(written.size)
    response["ETag"] = f'"{written.sha256}"'
    return response


@router.get(
    "/acts/{act_id}/public",
    response={200: ActOut, 404: ErrorOut},
    auth=None,
    summary="Public: a published act (depersonalised text and metadata)",
)
def public_act(request: HttpRequest, act_id: uuid.UUID) -> ActOut | tuple[int, dict[str, object]]:
    act = queries.public_act(act_id)
    if act is None:
        return 404, {
            "code": "published_act_not_found",
            "message": str(gettext_lazy("No published act has this address.")),
            "fields": {},
        }
    language = _language()
    return ActOut(
        id=act.public_id,
        url=_url(act, language),
        case_number=act.case_number,
        court=CodeName(code=act.court.code, name=_name(act.court, language)),
        region=act.region.code if act.region else "",
        category=CodeName(code=act.category.code, name=_name(act.category, language)),
        kind=act.kind,
        proceeding_type=act.proceeding_type,
        instance=act.instance,
        outcome=act.outcome,
        date=act.decided_on,
        language=act.language,
        title=act.title,
        text=act.text,
    )
