"""What the operators watch, read across the contexts below: queues of background work by task, draws
waiting for their beacon, the outbox, delivery reports, the transparency log's pending entries and the
workers seen (the gauges of `/metrics`, ADR 0080)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.archive.models import Checkpoint, PendingEntry
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
