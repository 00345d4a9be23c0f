"""Reads of the case file: the docket, a case page's contents, the journal, the registration record; and the
journal's yearly partitions on PostgreSQL (ADR 0113), the DDL that keeps them."""

import datetime as dt
import functools
import hmac
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Prefetch, QuerySet

from torelik.cases.models import (
    Case,
    CaseAccess,
    CaseEvent,
    CaseEventKind,
    CaseLink,
    Document,
    DocumentType,
    Party,
)
from torelik.core import clock
from torelik.core.rows import column, rows_where, table
from torelik.courts.models import Court
from torelik.identity.models import Person


@dataclass(frozen=True)
class CaseFile:
    """Everything a case page shows, in a fixed number of queries whatever the case's size."""

    case: Case
    parties: list[Party]
    documents: list[Document]
    events: list[CaseEvent]  # the latest `journal_limit` events (all when None), oldest first
    event_count: int
    links_from: list[CaseLink]
    links_to: list[CaseLink]

    @property
    def journal_is_partial(self) -> bool:
        return len(self.events) < self.event_count


def parties_of(case: Case) -> QuerySet[Party]:
    return (
        Party.objects.filter(case=case)
        .select_related("person", "organisation", "represents__person", "represents__organisation")
        .order_by("id")
    )


def documents_of(case: Case) -> QuerySet[Document]:
    return (
        Document.objects.filter(case=case)
        .select_related("document_type", "file", "author_party__person", "author_party__organisation")
        .prefetch_related(Prefetch("next_version", queryset=Document.objects.only("pk", "previous_version_id")))
        .order_by("received_at", "id")
    )


def case_file(case: Case, *, journal_limit: int | None = None) -> CaseFile:
    """The case with its parties, documents, links and journal: the whole journal, or only its
    latest `journal_limit` events (a long-running case has hundreds; the page shows the latest)."""
    parties = list(parties_of(case))
    documents = list(documents_of(case))
    journal = CaseEvent.objects.filter(case=case).select_related("actor__person")
    if journal_limit is None:
        events = list(journal.order_by("occurred_at", "id"))
        event_count = len(events)
    else:
        events = list(reversed(journal.order_by("-occurred_at", "-id")[:journal_limit]))
        event_count = CaseEvent.objects.filter(case=case).count()
    links_from = list(CaseLink.objects.filter(from_case=case).select_related("to_case"))
    links_to = list(CaseLink.objects.filter(to_case=case).select_related("from_case"))
    return CaseFile(
        case=case,
        parties=parties,
        documents=documents,
        events=events,
        event_count=event_count,
        links_from=links_from,
        links_to=links_to,
    )


def filing_court(code: str) -> Court | None:
    """The active court a filing names by its code (who may register there is the action's check).
    Plain SQL: it comes before every registration, and the ORM's compilation cost more than the query."""
    return next(iter(rows_where(Court, code=code, is_active=True)), None)


def journal(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("id")


def docket(
    cases: QuerySet[Case],
    *,
    status: str | None = None,
    category: str | None = None,
    judge_id: int | None = None,
    court_id: int | None = None,
    q: str | None = None,
) -> QuerySet[Case]:
    """Filter the cases a user may see (from access.cases_visible_to) for a docket page."""
    if status:
        cases = cases.filter(status=status)
    if category:
        cases = cases.filter(category__code__startswith=category)
    if judge_id:
        cases = cases.filter(judge_id=judge_id)
    if court_id:
        cases = cases.filter(court_id=court_id)
    if q:
        cases = cases.filter(number__contains=q.strip())
    return cases.select_related("court", "category", "judge__person").order_by("-registered_at", "-id")


def access_log(entries: QuerySet[CaseAccess], *, number: str | None = None) -> QuerySet[CaseAccess]:
    """Order (and filter by case number) the entries a user may read (from access.access_log_visible_to)."""
    if number:
        entries = entries.filter(case__number__contains=number.strip())
    return entries.select_related("case", "user__person", "document").order_by("-at", "-id")


def document_types(*, direction: str | None = None) -> QuerySet[DocumentType]:
    types = DocumentType.objects.order_by("code")
    return types.filter(direction=direction) if direction else types


@dataclass(frozen=True)
class Registration:
    """What the registration coupon shows: the case (with its court, region, category and clerk),
    the documents received with the filing, and the parties."""

    case: Case
    documents: list[Document]
    parties: list[Party]


def _registered_document_ids(case: Case) -> list[str]:
    """The documents of the filing itself, as the journal recorded them at registration."""
    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.REGISTERED).order_by("id").first()
    return [item["id"] for item in (event.data.get("documents", []) if event is not None else [])]


def registration(case: Case) -> Registration:
    full = Case.objects.select_related("court__region", "category", "registered_by__person").get(pk=case.pk)
    documents = list(
        Document.objects.filter(case=case, public_id__in=_registered_document_ids(case))
        .select_related("document_type")
        .order_by("id")
    )
    parties = list(Party.objects.filter(case=case).select_related("person", "organisation").order_by("id"))
    return Registration(case=full, documents=documents, parties=parties)


@dataclass(frozen=True)
class ReceivedDocument:
    document_type: DocumentType
    page_count: int


@dataclass(frozen=True)
class PublicRegistration:
    """What anyone holding a coupon may check: the number, the court, the moment and what was
    received. No names, identifiers or titles (a title may name a person)."""

    number: str
    court: Court
    registered_at: dt.datetime
    documents: list[ReceivedDocument]


def public_registration(public_id: uuid.UUID, secret: str) -> PublicRegistration | None:
    """The registration the coupon's QR names, when `secret` is the coupon's own; None otherwise."""
    case = Case.objects.select_related("court__region").filter(public_id=public_id).first()
    kept = case.coupon_secret if case is not None else ""
    if case is None or not kept or not hmac.compare_digest(kept, secret):
        return None
    documents = (
        Document.objects.filter(case=case, public_id__in=_registered_document_ids(case))
        .select_related("document_type")
        .order_by("id")
    )
    return PublicRegistration(
        number=case.number,
        court=case.court,
        registered_at=case.registered_at,
        documents=[ReceivedDocument(document_type=d.document_type, page_count=d.page_count) for d in documents],
    )


@functools.cache
def reachable_sql(roles: int) -> str:
    """The parties of a case in one of `roles` roles with a phone or an e-mail of their own, or the
    phone of their person (ADR 0032)."""
    party, person = functools.partial(column, Party), functools.partial(column, Person)
    return (
        f"SELECT p.{party('id')} FROM {table(Party)} p"  # noqa: S608 - the models' names, no input
        f" LEFT JOIN {table(Person)} pe ON pe.{person('id')} = p.{party('person')}"
        f" WHERE p.{party('case')} = %s AND p.{party('role')} IN ({', '.join(['%s'] * roles)})"
        f" AND (p.{party('phone')} <> '' OR p.{party('email')} <> '' OR pe.{person('phone')} <> '')"
    )


def reachable_parties(case_id: int, roles: Sequence[str]) -> list[int]:
    """The ids of the parties of a case in one of `roles` with a phone or an e-mail at all: the only
    ones who may be sent anything. Plain SQL, because this runs at every registration and most name
    nobody: the ORM's compilation of the full read cost more than the query."""
    with connection.cursor() as cursor:
        cursor.execute(reachable_sql(len(roles)), [case_id, *(str(role) for role in roles)])
        return [row[0] for row in cursor.fetchall()]


# --- The journal's yearly partitions (ADR 0113) ----------------------------------------------------
# The case journal's yearly partitions on PostgreSQL (ADR 0113): `cases_caseevent` is range-partitioned
# on `occurred_at`, one partition a calendar year in UTC (`cases_caseevent_y2026` holds 2026-01-01T00:00Z up
# to 2027-01-01T00:00Z) and a DEFAULT partition for whatever falls outside them.
#
# `ensure_journal_partitions` keeps the partitions of the current year and the two after it, once a day from
# the workers (`cases.tasks`) and once from the migration that partitions the table. Elsewhere (SQLite, or a
# table not partitioned) it does nothing.

JOURNAL = "cases_caseevent"
DEFAULT_PARTITION = f"{JOURNAL}_default"
YEARS_AHEAD = 2
LOCK_TIMEOUT = "5s"
_YEAR_PARTITION = re.compile(rf"^{JOURNAL}_y(\d{{4}})$")


def partition_of(year: int) -> str:
    return f"{JOURNAL}_y{year}"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The partition's range: from the year's first instant in UTC (inclusive) to the next year's (exclusive)."""
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))", [JOURNAL]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def partition_years(connection: BaseDatabaseWrapper) -> set[int]:
    """The years that have a partition of their own (the DEFAULT partition is not one)."""
    with connection.cursor() as cursor:
        return _years(cursor)


def ensure_journal_partitions(
    *, years: Iterable[int] = (), now: dt.datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[int]:
    """Make the partitions of the current year (UTC) through `YEARS_AHEAD` years after it, and of `years`;
    return the years made. Idempotent. Rows of such a year already in the DEFAULT partition are moved into
    the new one in the same transaction, so creating a partition never fails on them."""
    connection = connections[using]
    if not is_partitioned(connection):
        return []
    first = (now or clock.now()).astimezone(dt.UTC).year
    wanted = set(range(first, first + YEARS_AHEAD + 1)) | set(years)
    made = []
    # In a transaction of its own (the workers' run) the keeper does not wait long for its lock: writers
    # queue behind a waiting lock, and the workers try the task again later. Inside a caller's transaction
    # (the migration, which holds the lock already) it leaves the caller's settings alone.
    brief = not connection.in_atomic_block
    for year in sorted(wanted - partition_years(connection)):
        with transaction.atomic(using=using), connection.cursor() as cursor:
            # Serialises keepers and writers for the moment of the change: creating a partition takes this
            # lock anyway, and taking it first lets the check below see what another keeper just made.
            if brief:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {JOURNAL} IN ACCESS EXCLUSIVE MODE")
            if year in _years(cursor):
                continue
            _add_year(cursor, year)
            made.append(year)
    return made


def _years(cursor: CursorWrapper) -> set[int]:
    cursor.execute(
        "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
        "WHERE pg_inherits.inhparent = to_regclass(%s)",
        [JOURNAL],
    )
    return {int(found.group(1)) for (name,) in cursor.fetchall() if (found := _YEAR_PARTITION.match(name))}


def _add_year(cursor: CursorWrapper, year: int) -> None:
    start, end = year_bounds(year)
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM ONLY {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608
        [start, end],
    )
    row = cursor.fetchone()
    waiting = bool(row and row[0])
    if not waiting:
        # PostgreSQL checks that the DEFAULT partition holds no row of the new range (none, just read).
        cursor.execute(_create(year))
        return
    # The DEFAULT partition holds rows of the year: detached, it is a table of its own (without the
    # journal's append-only trigger, which belongs to the partitions), so they can leave it for the new
    # partition; attached again, PostgreSQL checks it holds no row of any partition's range.
    columns = ", ".join(_columns(cursor))
    cursor.execute(f"ALTER TABLE {JOURNAL} DETACH PARTITION {DEFAULT_PARTITION}")
    cursor.execute(_create(year))
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s "  # noqa: S608
        f"RETURNING {columns}) INSERT INTO {JOURNAL} ({columns}) SELECT {columns} FROM moved",
        [start, end],
    )
    cursor.execute(f"ALTER TABLE {JOURNAL} ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT")


def _create(year: int) -> str:
    # DDL takes no parameters: the bounds are written from the year, an int.
    start, end = (f"'{moment.isoformat()}'" for moment in year_bounds(year))
    return f"CREATE TABLE {partition_of(year)} PARTITION OF {JOURNAL} FOR VALUES FROM ({start}) TO ({end})"


def _columns(cursor: CursorWrapper) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [JOURNAL],
    )
    return [name for (name,) in cursor.fetchall()]
