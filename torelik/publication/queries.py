"""Reads of the publication context: the public index (the one door to what the public may read, which
leaves out closed acts whatever their status says), the search over it with its facets, the reviewer's
queue, the counters, and the monthly export.

Full text (ADR 0064): on PostgreSQL the generated column `search_tsv` (the `russian` configuration for
acts in Russian, our own `kazakh` configuration — a copy of `simple` — for acts in Kazakh) with a GIN
index, queried with `websearch_to_tsquery` in both configurations (quoted phrases, words); on SQLite a
lower-cased copy of the text matched term by term, behind the same function."""

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString

from torelik.acts.kinds import kind_of
from torelik.acts.models import Act
from torelik.cases.models import CaseStatus
from torelik.courts.models import CaseCategory, Court, Region
from torelik.hearings.models import Hearing
from torelik.publication.full_text import (
    MAX_QUERY,
    highlight,
    matching_text,
    ranked_text,
    terms_of,
    uses_postgres_search,
)
from torelik.publication.models import (
    CorrectionRequest,
    ExportFile,
    PublicationEvent,
    PublicationStatus,
    PublishedAct,
)
from torelik.publication.policy import closed_prefixes

__all__ = ["MAX_QUERY", "highlight", "terms_of", "uses_postgres_search"]

PAGE_SIZE = 20
FACETS = ("court", "region", "instance", "proceeding_type", "category", "kind", "outcome", "year")


def public_acts() -> QuerySet[PublishedAct]:
    """What the public may read: published acts — and never, whatever a bug wrote in their status, an
    act of a category the law closes or of a case with a hearing held in camera. Both guards are
    `NOT IN` small sets (the closed categories, the acts of cases with a closed hearing) that PostgreSQL
    hashes once per statement, so that they cost nothing per matching row (ADR 0072)."""
    acts = PublishedAct.objects.filter(status=PublicationStatus.PUBLISHED, closed_basis="").exclude(text="")
    closed = Q()
    for prefix in closed_prefixes():
        closed |= Q(code__startswith=prefix)
    if closed:
        acts = acts.exclude(category_id__in=CaseCategory.objects.filter(closed).values("id"))
    in_camera = Act.objects.filter(case__hearings__is_closed=True).values("id")
    return acts.exclude(act_id__in=in_camera)


def public_act(public_id: uuid.UUID | str) -> PublishedAct | None:
    return public_acts().select_related("court", "region", "category").filter(public_id=public_id).first()


def matching(acts: QuerySet[PublishedAct], query: str) -> QuerySet[PublishedAct]:
    return matching_text(acts, query)


def ranked_by_relevance(acts: QuerySet[PublishedAct], query: str) -> QuerySet[PublishedAct]:
    """The matches with their `rank` (ts_rank on PostgreSQL; none on SQLite, where date decides)."""
    return ranked_text(acts, query, fallback="year")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    court: str = ""
    region: str = ""
    category: str = ""
    kind: str = ""
    proceeding_type: str = ""
    instance: str = ""
    outcome: str = ""
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "date"
    page: int = 1
    after: str = ""  # keyset: "YYYY-MM-DD.id" of the last act of the previous page (date order)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class Hit:
    act: PublishedAct
    snippet: SafeString


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # More acts match than COUNT_CAP: `total` is COUNT_CAP ("more than"), each facet count is what the
    # first COUNT_CAP matches hold — a true lower bound ("at least") — and relevance falls back to date.
    capped: bool = False
    ranked: bool = False
    next_after: str = ""


# Counting stops here (ADR 0072): a word found in most acts is shown as "more than 2,000", its facets
# as lower bounds over the first 2,001 matches, instead of reading every match.
COUNT_CAP = 2_000
# Relevance ranks at most this many matches (ts_rank reads each act's tsvector); above, date order.
RANK_CAP = 1_000
_AFTER = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,12})$")


def keyset(after: str) -> tuple[dt.date, int] | None:
    """The (date, id) of a keyset cursor, or None when it is malformed."""
    match = _AFTER.match(after or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1)), int(match.group(2))
    except ValueError:
        return None


def filtered(filters: Filters) -> QuerySet[PublishedAct]:
    acts = public_acts()
    if filters.court:
        acts = acts.filter(court__code=filters.court)
    if filters.region:
        acts = acts.filter(region__code=filters.region)
    if filters.category:
        acts = acts.filter(category__code=filters.category)
    for name in ("kind", "proceeding_type", "instance", "outcome"):
        value = getattr(filters, name)
        if value:
            acts = acts.filter(**{name: value})
    if filters.year:
        acts = acts.filter(year=filters.year)
    if filters.date_from:
        acts = acts.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        acts = acts.filter(decided_on__lte=filters.date_to)
    return matching(acts, filters.q)


def _label(name: str, value: str, language: str, names: dict[str, dict[str, str]]) -> str:
    if name in names:
        return names[name].get(value, value)
    if name == "kind":
        kind = kind_of(value)
        return (
            (kind.name_kk if language == "kk" else kind.name_en if language == "en" else kind.name_ru)
            if kind
            else value
        )
    return value


FACET_COLUMNS = {
    "court": "court_id",
    "region": "region_id",
    "instance": "instance",
    "proceeding_type": "proceeding_type",
    "category": "category_id",
    "kind": "kind",
    "outcome": "outcome",
    "year": "year",
}


def _facet_counts(
    acts: QuerySet[PublishedAct], *, cap: int | None = None
) -> tuple[dict[str, list[tuple[str, int]]], int]:
    """Each facet's values (ids for courts, regions and categories) with their counts, most first, over
    the matches (the first `cap` of them when given). On PostgreSQL in one statement: the matching rows
    are read once (a materialised CTE of the narrow facet columns, found through the GIN index) and
    grouped per facet, the rows counted in the same statement; elsewhere one GROUP BY per facet. Returns
    the counts and how many rows were read (at most `cap`)."""
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_COLUMNS}
    read = 0
    if uses_postgres_search():
        values = acts.order_by().values(*FACET_COLUMNS.values())
        inner, params = (values[:cap] if cap else values).query.sql_with_params()
        groups = " UNION ALL ".join(
            f"SELECT '{name}', {col}::text, count(*) FROM matched GROUP BY {col}"  # noqa: S608 - names fixed above
            for name, col in FACET_COLUMNS.items()
        )
        statement = f"WITH matched AS MATERIALIZED ({inner}) SELECT '', '', count(*) FROM matched UNION ALL {groups}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            for name, value, n in cursor.fetchall():
                if name == "":
                    read = int(n)
                elif value not in ("", None):
                    counted[name].append((str(value), int(n)))
    else:
        ids = list(acts.order_by().values_list("pk", flat=True)[:cap]) if cap else None
        base = PublishedAct.objects.filter(pk__in=ids) if ids is not None else acts
        read = len(ids) if ids is not None else acts.count()
        for name, col in FACET_COLUMNS.items():
            rows = base.order_by().values_list(col).annotate(n=Count("id"))
            counted[name] = [(str(value), int(n)) for value, n in rows if value not in ("", None)]
    return {name: sorted(rows, key=lambda r: (-r[1], r[0]))[:25] for name, rows in counted.items()}, read


def facets_of(
    acts: QuerySet[PublishedAct], filters: Filters, language: str, *, cap: int | None = None
) -> tuple[dict[str, list[FacetValue]], int]:
    """The facets' values with their labels and counts, and how many matches were read for them."""
    from torelik.acts.models import ReviewOutcome  # noqa: PLC0415 - labels only
    from torelik.cases.models import Instance  # noqa: PLC0415
    from torelik.courts.models import ProceedingType  # noqa: PLC0415

    counted, read = _facet_counts(acts, cap=cap)
    suffix = "kk" if language == "kk" else "en" if language == "en" else "ru"
    # Courts, regions and categories: the id counted, the code in the address, the name shown.
    named: dict[str, dict[str, tuple[str, str]]] = {}
    for name, model in (("court", Court), ("region", Region), ("category", CaseCategory)):
        ids = [int(v) for v, _n in counted[name]]
        named[name] = {
            str(pk): (code, label)
            for pk, code, label in model.objects.filter(pk__in=ids).values_list("pk", "code", f"name_{suffix}")
        }
    choices: dict[str, dict[str, str]] = {
        "instance": {k: str(v) for k, v in Instance.choices},
        "proceeding_type": {k: str(v) for k, v in ProceedingType.choices},
        "outcome": {k: str(v) for k, v in ReviewOutcome.choices},
    }
    out: dict[str, list[FacetValue]] = {}
    for name, rows in counted.items():
        chosen = str(getattr(filters, name) or "")
        values = []
        for value, n in rows:
            if name in named:
                code, label = named[name].get(value, (value, value))
            elif name in choices:
                code, label = value, choices[name].get(value, value)
            else:
                code, label = value, _label(name, value, language, {})
            values.append(FacetValue(code, label, n, code == chosen))
        out[name] = values
    return out, read


def capped_count(acts: QuerySet[PublishedAct], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many acts match, counting no further than `cap` (True when more match)."""
    found = acts.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


def search(filters: Filters, *, language: str, with_facets: bool = True) -> Results:
    """A page of matching acts with the facets' counts (ADR 0064, 0072): the count stops at COUNT_CAP;
    date order pages by keyset (`after`), relevance ranks up to RANK_CAP matches by page number."""
    acts = filtered(filters)
    facets: dict[str, list[FacetValue]] = {}
    if with_facets:  # the facets' statement counts the matches too (up to COUNT_CAP + 1)
        facets, read = facets_of(acts, filters, language, cap=COUNT_CAP + 1)
        total, capped = min(read, COUNT_CAP), read > COUNT_CAP
    else:
        total, capped = capped_count(acts)
    ranked = filters.sort == "relevance" and bool(filters.q.strip()) and total <= RANK_CAP
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(1, filters.page), pages)
    rows_of = acts.select_related("court", "category")
    cursor = keyset(filters.after) if not ranked else None
    if ranked:
        window = ranked_by_relevance(rows_of, filters.q).order_by("-rank", "-decided_on", "-id")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    elif cursor is not None:
        day, last = cursor
        window = rows_of.filter(Q(decided_on__lt=day) | Q(decided_on=day, id__lt=last)).order_by("-decided_on", "-id")[
            :PAGE_SIZE
        ]
    else:
        window = rows_of.order_by("-decided_on", "-id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows = list(window.defer("source_text", "spans", "search_text"))
    terms = terms_of(filters.q)
    hits = [Hit(a, highlight(a.text, terms)) for a in rows]
    next_after = ""
    if not ranked and len(rows) == PAGE_SIZE:
        next_after = f"{rows[-1].decided_on.isoformat()}.{rows[-1].pk}"
    return Results(
        hits=hits,
        total=total,
        page=page,
        pages=pages,
        facets=facets,
        capped=capped,
        ranked=ranked,
        next_after=next_after,
    )


def review_queue(courts: list[Court], *, limit: int = 100) -> list[PublishedAct]:
    return list(
        PublishedAct.objects.filter(court__in=courts, status=PublicationStatus.CANDIDATE)
        .select_related("court", "category")
        .order_by("prepared_at")[:limit]
    )


def open_corrections(courts: list[Court]) -> list[CorrectionRequest]:
    return list(
        CorrectionRequest.objects.filter(published_act__court__in=courts, answered_at=None)
        .select_related("published_act")
        .order_by("answer_by")
    )


def correction_by_token(token: str) -> CorrectionRequest | None:
    """The requester's view of their request, by the secret of its address."""
    if not token or len(token) > 64:  # noqa: PLR2004
        return None
    return CorrectionRequest.objects.select_related("published_act").filter(token=token).first()


def corrections_of(published: PublishedAct) -> list[CorrectionRequest]:
    return list(CorrectionRequest.objects.filter(published_act=published).order_by("answered_at", "received_at"))


@dataclass(frozen=True)
class Counter:
    name: str
    today: int
    total: int


def counters(today: dt.date) -> dict[str, Counter]:
    """The figures of the public site, computed: acts published, cases decided, applications filed
    electronically, hearings recorded (subpoenas are a sibling context's: not read here) — today and in total."""
    from torelik.cases.models import Case, CaseEvent, CaseEventKind, Channel  # noqa: PLC0415

    published = public_acts()
    decided = CaseEvent.objects.filter(kind=CaseEventKind.STATUS_CHANGED, data__to=CaseStatus.DECIDED)
    electronic = Case.objects.exclude(channel=Channel.PAPER)
    recorded = Hearing.objects.exclude(record=None)
    return {
        "published": Counter("published", published.filter(published_at__date=today).count(), published.count()),
        "decided": Counter("decided", decided.filter(occurred_at__date=today).count(), decided.count()),
        "electronic": Counter("electronic", electronic.filter(registered_at__date=today).count(), electronic.count()),
        "recorded": Counter("recorded", recorded.filter(updated_at__date=today).count(), recorded.count()),
    }


def months_published() -> list[str]:
    """The months (YYYY-MM) that have published acts, for the export's manifest."""
    return sorted({f"{d.year:04d}-{d.month:02d}" for d in public_acts().dates("decided_on", "month")}, reverse=True)


def acts_of_month(month: str) -> Iterator[PublishedAct]:
    year, number = (int(x) for x in month.split("-"))
    yield from (
        public_acts()
        .filter(decided_on__year=year, decided_on__month=number)
        .select_related("court", "region", "category")
        .order_by("decided_on", "id")
        .iterator(chunk_size=500)
    )


# What changes a month's public acts after its file was written: the file is then written again.
_CHANGES = ("published", "withdrawn", "mask_added", "mask_removed")


def months_due_for_export(today: dt.date) -> tuple[list[str], list[str]]:
    """(months to write, months to remove): every ended month with public acts and no file, or whose
    acts changed after its file was written; and the files of months with no public act any more."""
    current = f"{today.year:04d}-{today.month:02d}"
    written = dict(ExportFile.objects.values_list("month", "written_at"))
    public = [m for m in months_published() if m < current]
    due = []
    for month in public:
        if month not in written:
            due.append(month)
            continue
        year, number = (int(x) for x in month.split("-"))
        changed = PublicationEvent.objects.filter(
            published_act__decided_on__year=year,
            published_act__decided_on__month=number,
            kind__in=_CHANGES,
            occurred_at__gt=written[month],
        )
        if changed.exists():
            due.append(month)
    gone = sorted(set(written) - set(public) - {m for m in written if m >= current})
    return due, gone


def export_files() -> list[ExportFile]:
    return list(ExportFile.objects.select_related("stored").order_by("-month"))


def export_file(month: str) -> ExportFile | None:
    return ExportFile.objects.select_related("stored").filter(month=month).first()


def by_act(act: Act) -> PublishedAct | None:
    return PublishedAct.objects.filter(act=act).first()
