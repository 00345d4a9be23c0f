"""What the queues hold, by task and state; the schedule with its last and next runs; the workers and
when each was last seen (the staff page `/{lang}/workspace/queues/` and `/readyz`)."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.workers.models import ScheduledJob, WorkerProcess

SEEN_WITHIN = dt.timedelta(minutes=1)  # a worker not seen for longer is reported by /readyz
LOST_REPORTED_FOR = dt.timedelta(hours=1)
OPEN = (TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.FAILED)


@dataclass
class TaskCounts:
    task: str
    waiting: int = 0
    retrying: int = 0  # waiting again after a failed try
    running: int = 0
    failed: int = 0


def counts_by_task() -> list[TaskCounts]:
    """Waiting, retrying, running and failed tasks of each kind (finished ones are not counted)."""
    rows: dict[str, TaskCounts] = {}
    grouped = (
        DBTaskResult.objects.filter(status__in=OPEN)
        .values_list("task_path", "status", "exception_class_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for path, status, error, count in grouped:
        counts = rows.setdefault(path, TaskCounts(task=path))
        if status == TaskResultStatus.READY:
            if error:
                counts.retrying += count
            else:
                counts.waiting += count
        elif status == TaskResultStatus.RUNNING:
            counts.running += count
        else:
            counts.failed += count
    return sorted(rows.values(), key=lambda c: c.task)


def failed_tasks(*, limit: int = 50) -> list[DBTaskResult]:  # type: ignore[type-arg]
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[:limit])


def retrying_tasks(*, limit: int = 50) -> list[DBTaskResult]:  # type: ignore[type-arg]
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .exclude(exception_class_path="")
        .order_by("run_after")[:limit]
    )


def scheduled_jobs() -> list[tuple[ScheduledJob, str]]:
    """Each job with the state of its last run's task ("" when it never ran or was pruned)."""
    jobs = list(ScheduledJob.objects.all())
    rows = DBTaskResult.objects.filter(pk__in=[j.last_task_id for j in jobs if j.last_task_id])
    states = {str(pk): str(status) for pk, status in rows.values_list("id", "status")}
    return [(job, states.get(job.last_task_id, "")) for job in jobs]


@dataclass
class WorkersSeen:
    alive: list[WorkerProcess] = field(default_factory=list)
    silent: list[WorkerProcess] = field(default_factory=list)  # neither stopped nor seen within a minute
    stopped: list[WorkerProcess] = field(default_factory=list)  # stopped or lost within the hour

    @property
    def healthy(self) -> bool:
        return bool(self.alive) and not self.silent


def workers_seen(now: dt.datetime | None = None) -> WorkersSeen:
    now = now or timezone.now()
    seen = WorkersSeen()
    for worker in WorkerProcess.objects.order_by("-seen_at")[:200]:
        if worker.stopped_at is None and worker.lost_at is None:
            (seen.alive if worker.seen_at >= now - SEEN_WITHIN else seen.silent).append(worker)
        elif (worker.lost_at or worker.stopped_at or now) >= now - LOST_REPORTED_FOR:
            if worker.lost_at is not None and worker.seen_at < now - SEEN_WITHIN:
                seen.silent.append(worker)  # died without stopping: reported for an hour
            else:
                seen.stopped.append(worker)
    return seen


def lease_seconds() -> int:
    return int(settings.TORELIK_WORKER_LEASE)
