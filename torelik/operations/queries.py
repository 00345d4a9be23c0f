"""What the operators watch, read across the contexts below: queues of background work by task, draws
waiting for their beacon, the outbox, delivery reports, the transparency log's pending entries and the
workers seen (the gauges of `/metrics`, ADR 0080)."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.archive.models import Checkpoint, LogEntry, PendingEntry, StoredFile
from torelik.cases.models import Case, CaseAccess, CaseEvent, Document
from torelik.core import clock
from torelik.distribution.models import Draw, DrawStatus
from torelik.notifications.models import Channel, Message, MessageStatus
from torelik.workers.models import WorkerProcess

DAY = dt.timedelta(days=1)
REPORTS_AWAITED = dt.timedelta(hours=72)  # a sent SMS without a report for longer is not waited for


@dataclass(frozen=True)
class Queue:
    task: str
    state: str  # waiting, retrying, running, failed
    depth: int
    oldest_seconds: float


def task_queues(now: dt.datetime | None = None) -> list[Queue]:
    """Each task's open rows by state, with the age of the oldest (since it was enqueued)."""
    now = now or timezone.now()
    rows = (
        DBTaskResult.objects.filter(
            status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.FAILED)
        )
        .values_list("task_path", "status", "exception_class_path")
        .annotate(n=Count("id"), oldest=Min("enqueued_at"))
        .order_by()
    )
    merged: dict[tuple[str, str], tuple[int, dt.datetime]] = {}
    for path, status, error, count, oldest in rows:
        state = {
            TaskResultStatus.READY: "retrying" if error else "waiting",
            TaskResultStatus.RUNNING: "running",
        }.get(status, "failed")
        depth, first = merged.get((path, state), (0, oldest))
        merged[(path, state)] = (depth + count, min(first, oldest))
    return [
        Queue(task=path, state=state, depth=depth, oldest_seconds=max((now - first).total_seconds(), 0.0))
        for (path, state), (depth, first) in sorted(merged.items())
    ]


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    oldest_seconds: float


def draws_waiting(now: dt.datetime | None = None) -> list[Waiting]:
    """Draws committed and waiting for their beacon round, and draws waiting for an eligible judge."""
    now = now or clock.now()
    found = {
        status: (n, oldest)
        for status, n, oldest in Draw.objects.filter(status__in=(DrawStatus.COMMITTED, DrawStatus.WAITING))
        .values_list("status")
        .annotate(n=Count("id"), oldest=Min("committed_at"))
        .values_list("status", "n", "oldest")
        .order_by()
    }
    return [
        Waiting(
            label=status,
            count=found.get(status, (0, now))[0],
            oldest_seconds=max((now - found.get(status, (0, now))[1]).total_seconds(), 0.0),
        )
        for status in (DrawStatus.COMMITTED, DrawStatus.WAITING)
    ]


@dataclass(frozen=True)
class MessageCount:
    channel: str
    status: str
    count: int


def messages_waiting(now: dt.datetime | None = None) -> tuple[list[MessageCount], dict[str, float]]:
    """Queued and in-flight messages by channel (every one, whenever queued), and the age of each channel's
    oldest queued message."""
    now = now or clock.now()
    rows = (
        Message.objects.filter(status__in=(MessageStatus.QUEUED, MessageStatus.SENDING))
        .values_list("channel", "status")
        .annotate(n=Count("id"), oldest=Min("queued_at"))
        .order_by()
    )
    counts = {(channel, status): (n, oldest) for channel, status, n, oldest in rows}
    out = [
        MessageCount(channel=channel, status=status, count=counts.get((channel, status), (0, now))[0])
        for channel in Channel.values
        for status in (MessageStatus.QUEUED, MessageStatus.SENDING)
    ]
    ages = {
        channel: max((now - counts[(channel, MessageStatus.QUEUED)][1]).total_seconds(), 0.0)
        if (channel, MessageStatus.QUEUED) in counts
        else 0.0
        for channel in Channel.values
    }
    return out, ages


def messages_of_last_day(now: dt.datetime | None = None) -> list[MessageCount]:
    """Messages queued in the last 24 hours by channel and where they stand now (sent, delivered, failed…)."""
    now = now or clock.now()
    rows = dict(
        ((channel, status), n)
        for channel, status, n in Message.objects.filter(queued_at__gte=now - DAY)
        .values_list("channel", "status")
        .annotate(n=Count("id"))
        .values_list("channel", "status", "n")
        .order_by()
    )
    return [
        MessageCount(channel=channel, status=status, count=rows.get((channel, status), 0))
        for channel in Channel.values
        for status in MessageStatus.values
    ]


@dataclass(frozen=True)
class ReportLag:
    awaited: int  # SMS sent and still without a delivery report
    oldest_awaited_seconds: float
    last_hour_mean_seconds: float  # from hand-over to delivery report, SMS delivered in the last hour


def delivery_report_lag(now: dt.datetime | None = None, *, sample: int = 1000) -> ReportLag:
    now = now or clock.now()
    awaited = Message.objects.filter(
        channel=Channel.SMS, status=MessageStatus.SENT, sent_at__gte=now - REPORTS_AWAITED
    ).aggregate(n=Count("id"), oldest=Min("sent_at"))
    delivered = list(
        Message.objects.filter(channel=Channel.SMS, delivered_at__gte=now - dt.timedelta(hours=1))
        .exclude(sent_at=None)
        .values_list("sent_at", "delivered_at")[:sample]
    )
    lags = [(reported - sent).total_seconds() for sent, reported in delivered if sent and reported]
    return ReportLag(
        awaited=awaited["n"],
        oldest_awaited_seconds=max((now - awaited["oldest"]).total_seconds(), 0.0) if awaited["oldest"] else 0.0,
        last_hour_mean_seconds=sum(lags) / len(lags) if lags else 0.0,
    )


@dataclass(frozen=True)
class LogLag:
    pending: int  # entries written with their facts, not yet in the log
    oldest_pending_seconds: float
    last_checkpoint_seconds: float | None  # since the newest signed checkpoint; None: none yet


def log_append_lag(now: dt.datetime | None = None) -> LogLag:
    now = now or clock.now()
    pending = PendingEntry.objects.aggregate(n=Count("id"), oldest=Min("written_at"))
    newest = Checkpoint.objects.order_by("-signed_at").values_list("signed_at", flat=True).first()
    return LogLag(
        pending=pending["n"],
        oldest_pending_seconds=max((now - pending["oldest"]).total_seconds(), 0.0) if pending["oldest"] else 0.0,
        last_checkpoint_seconds=max((now - newest).total_seconds(), 0.0) if newest else None,
    )


def workers_alive(now: dt.datetime | None = None, *, within: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    now = now or timezone.now()
    return WorkerProcess.objects.filter(stopped_at=None, lost_at=None, seen_at__gte=now - within).count()


# --- the inventory a backup records and a restore proves (ADR 0081) ----------------------------------


def _digest(values: list[str]) -> str:
    """SHA-256 of the sorted values, one a line: equal digests, equal sets."""
    hasher = hashlib.sha256()
    for value in sorted(values):
        hasher.update(value.encode())
        hasher.update(b"\n")
    return hasher.hexdigest()


def _set(values: list[str]) -> dict[str, object]:
    return {"count": len(values), "sha256": _digest(values)}


def inventory(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, object]]:
    """What the installation holds, as counts and digests of sorted identities: every case (number), case
    journal line (case, kind, moment, data), transparency log entry (index and leaf hash), document (its
    content's SHA-256), stored object, outbox message (cause and status), draw (case, attempt, status) and open
    background task (task and arguments). Two installations with equal inventories hold the same facts."""
    events = CaseEvent.objects.using(using).values_list("case__number", "kind", "occurred_at", "data").order_by()
    return {
        "cases": _set([str(n) for n in Case.objects.using(using).values_list("number", flat=True)]),
        "case_events": _set(
            [f"{n}|{k}|{o.isoformat()}|{json.dumps(d, sort_keys=True)}" for n, k, o, d in events.iterator()]
        ),
        "log_entries": _set([f"{i}|{h}" for i, h in LogEntry.objects.using(using).values_list("index", "leaf_hash")]),
        "log_pending": _set(list(PendingEntry.objects.using(using).values_list("leaf_hash", flat=True))),
        "documents": _set(
            [f"{p}|{h}" for p, h in Document.objects.using(using).values_list("public_id", "file__sha256").order_by()]
        ),
        "stored_files": _set(list(StoredFile.objects.using(using).values_list("sha256", flat=True))),
        "messages": _set(
            [f"{c}|{s}" for c, s in Message.objects.using(using).values_list("cause", "status").order_by()]
        ),
        "messages_queued": _set(
            list(Message.objects.using(using).filter(status=MessageStatus.QUEUED).values_list("cause", flat=True))
        ),
        "draws": _set(
            [f"{c}|{a}|{s}" for c, a, s in Draw.objects.using(using).values_list("case__number", "attempt", "status")]
        ),
        "draws_waiting": _set(
            [
                str(n)
                for n in Draw.objects.using(using)
                .filter(status__in=(DrawStatus.COMMITTED, DrawStatus.WAITING))
                .values_list("case__number", flat=True)
            ]
        ),
        "tasks_open": _set(
            [
                f"{p}|{json.dumps(a, sort_keys=True)}"
                for p, a in DBTaskResult.objects.using(using)
                .filter(status=TaskResultStatus.READY)
                .values_list("task_path", "args_kwargs")
                .order_by()
            ]
        ),
    }


def stored_objects(using: str = DEFAULT_DB_ALIAS) -> list[tuple[str, int]]:
    """Every object of the file store the database knows, with its size."""
    return list(StoredFile.objects.using(using).values_list("sha256", "size").order_by("sha256"))


def log_leaves() -> list[tuple[int, str, str]]:
    """The transparency log's entries in order: index, body, leaf hash."""
    return list(LogEntry.objects.order_by("index").values_list("index", "body", "leaf_hash"))


def checkpoints() -> list[tuple[int, str, str]]:
    """The signed checkpoints: size, root hash (hex), signed note."""
    return list(Checkpoint.objects.order_by("size", "signed_at").values_list("size", "root_hash", "note"))


def database_is_empty() -> bool:
    """No table of this installation's models exists yet in the database (a restore's target)."""
    return not (set(connection.introspection.table_names()) & {"django_migrations", Case._meta.db_table})


@contextmanager
def postgresql_snapshot() -> Iterator[tuple[str, str]]:
    """A repeatable-read transaction on PostgreSQL held open for the block, with its exported snapshot (for
    `pg_dump --snapshot`) and the WAL position at its start: reads in the block see the database as the
    dump does."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), pg_current_wal_lsn()::text")
            snapshot, lsn = cursor.fetchone()
        yield str(snapshot), str(lsn)


def hold_write_lock() -> None:
    """In an SQLite transaction: take the database's write lock now (the embedded default's backup)."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # BEGIN IMMEDIATE is issued with the transaction's first statement


# The audit review (ADR 0083): staff openings of case files, journal entries with an actor, and the
# administration's changes of reference data (a judge's standing, absences), newest first, keyset-paged.

AUDIT_PAGE = 50
AUDIT_EXPORT_LIMIT = 50_000
_SOURCES = ("access", "action", "resend", "administration")  # the tie-break order within one moment


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    source: str  # access, action, resend, administration
    id: int
    username: str
    person: str
    case_number: str
    court_code: str
    what: str
    detail: str
    ip_address: str

    @property
    def cursor(self) -> str:
        return f"{self.at.isoformat()}|{_SOURCES.index(self.source)}|{self.id}"


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""  # a login name or an IIN
    case_number: str = ""
    since: dt.datetime | None = None  # inclusive
    until: dt.datetime | None = None  # exclusive
    after: tuple[dt.datetime, int, int] | None = None  # the keyset cursor: the last row shown


def parse_cursor(text: str) -> tuple[dt.datetime, int, int] | None:
    """A cursor from `AuditRow.cursor`, or None when it is not one."""
    try:
        at, rank, pk = text.split("|")
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None or not 0 <= int(rank) < len(_SOURCES):
            return None
        return moment, int(rank), int(pk)
    except ValueError:
        return None


def _before(after: tuple[dt.datetime, int, int] | None, rank: int, at_field: str) -> Q:
    """The rows of source `rank` that come after the cursor in (moment, source, id) descending order."""
    if after is None:
        return Q()
    at, cursor_rank, pk = after
    earlier = Q(**{f"{at_field}__lt": at})
    if rank < cursor_rank:
        return earlier | Q(**{at_field: at})
    if rank == cursor_rank:
        return earlier | Q(**{at_field: at, "id__lt": pk})
    return earlier


def _person_q(person: str, user_field: str) -> Q:
    person = person.strip()
    return Q(**{f"{user_field}__username": person}) | Q(**{f"{user_field}__person__iin": person})


def _name(user: Any) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return str(person.full_name if person is not None else user.get_username())


def _login(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""


def audit_rows(scope: Any, where: AuditFilter, *, limit: int = AUDIT_PAGE) -> list[AuditRow]:
    """At most `limit` rows of the review for `scope` (access.AuditScope), newest first, after the cursor.
    Each source is read by an index on its moment (and its case or user), at most `limit` rows each."""
    rows: list[AuditRow] = []
    accesses = CaseAccess.objects.filter(_before(where.after, 0, "at"))
    actions = CaseEvent.objects.filter(_before(where.after, 1, "occurred_at"), actor__isnull=False)
    if scope.court_ids is not None:
        accesses = accesses.filter(case__court_id__in=scope.court_ids)
        actions = actions.filter(case__court_id__in=scope.court_ids)
    if where.person:
        accesses = accesses.filter(_person_q(where.person, "user"))
        actions = actions.filter(_person_q(where.person, "actor"))
    if where.case_number:
        accesses = accesses.filter(case__number=where.case_number.strip())
        actions = actions.filter(case__number=where.case_number.strip())
    if where.since:
        accesses = accesses.filter(at__gte=where.since)
        actions = actions.filter(occurred_at__gte=where.since)
    if where.until:
        accesses = accesses.filter(at__lt=where.until)
        actions = actions.filter(occurred_at__lt=where.until)
    for entry in accesses.select_related("case__court", "user__person", "document").order_by("-at", "-id")[:limit]:
        rows.append(  # noqa: PERF401 - one row built per entry
            AuditRow(
                at=entry.at, source="access", id=entry.pk, username=_login(entry.user),
                person=_name(entry.user), case_number=entry.case.number, court_code=entry.case.court.code,
                what=str(entry.get_kind_display()), detail=entry.document.title if entry.document else "",
                ip_address=entry.ip_address or "",
            )
        )  # fmt: skip
    for event in actions.select_related("case__court", "actor__person").order_by("-occurred_at", "-id")[:limit]:
        rows.append(  # noqa: PERF401 - one row built per entry
            AuditRow(
                at=event.occurred_at, source="action", id=event.pk, username=_login(event.actor),
                person=_name(event.actor), case_number=event.case.number, court_code=event.case.court.code,
                what=str(event.get_kind_display()), detail="", ip_address="",
            )
        )  # fmt: skip
    resends = Message.objects.filter(_before(where.after, 2, "queued_at"), resent_by__isnull=False)
    if scope.court_ids is not None:
        resends = resends.filter(court_id__in=scope.court_ids)
    if where.person:
        resends = resends.filter(_person_q(where.person, "resent_by"))
    if where.case_number:
        resends = resends.filter(case__number=where.case_number.strip())
    if where.since:
        resends = resends.filter(queued_at__gte=where.since)
    if where.until:
        resends = resends.filter(queued_at__lt=where.until)
    resent = resends.select_related("case", "court", "resent_by__person").order_by("-queued_at", "-id")[:limit]
    for message in resent:
        rows.append(  # noqa: PERF401 - one row built per entry
            AuditRow(
                at=message.queued_at, source="resend", id=message.pk, username=_login(message.resent_by),
                person=_name(message.resent_by), case_number=message.case.number if message.case else "",
                court_code=message.court.code if message.court else "",
                what=str(_("message resent")), detail=str(message.get_channel_display()), ip_address="",
            )
        )  # fmt: skip
    if scope.administration and not where.case_number:
        changes = AdminLogEntry.objects.filter(_before(where.after, 3, "action_time"))
        if where.person:
            changes = changes.filter(_person_q(where.person, "user"))
        if where.since:
            changes = changes.filter(action_time__gte=where.since)
        if where.until:
            changes = changes.filter(action_time__lt=where.until)
        change: Any
        for change in changes.select_related("user__person", "content_type").order_by("-action_time", "-id")[:limit]:
            model = change.content_type.model_class() if change.content_type else None
            label = str(model._meta.verbose_name) if model else ""
            rows.append(
                AuditRow(
                    at=change.action_time, source="administration", id=change.pk,
                    username=_login(change.user), person=_name(change.user), case_number="", court_code="",
                    what=f"{label}: {change.object_repr}" if label else change.object_repr,
                    detail=str(change.get_change_message()), ip_address="",
                )
            )  # fmt: skip
    rows.sort(key=lambda row: (row.at, -_SOURCES.index(row.source), row.id), reverse=True)
    return rows[:limit]
