"""The worker: takes tasks from the database queue (`django_tasks_db`'s table), runs them, retries
them with backoff, takes again the tasks of workers that died, and runs the periodic jobs once per
period (ADR 0042). `torelik worker` runs one; any number run on any number of machines.

- A claim is one short transaction: `SELECT … FOR UPDATE SKIP LOCKED` of the first ready task
  (PostgreSQL; SQLite serialises writers anyway), marked RUNNING with this worker's id. Waiting copies
  of a coalescing task with the same arguments are marked done by it in the same transaction.
- The lease: a worker writes its heartbeat every TORELIK_WORKER_HEARTBEAT seconds from a thread of
  its own; a RUNNING task whose worker has not been seen for TORELIK_WORKER_LEASE seconds (or whose
  process is gone from this host) is READY again, its try counted.
- A task that raises is READY again after its policy's backoff, until its tries run out: then FAILED,
  with the traceback, for staff to see and retry (`/​{lang}/workspace/queues/`).
- SIGTERM or SIGINT: the task under way finishes, then the worker stops; a second signal interrupts
  the task, which goes back to the queue.
"""

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import partial, update_wrapper
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_exception_traceback, get_module_path, normalize_json
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

from torelik.core import observability
from torelik.workers.background import policy_of, schedule
from torelik.workers.models import ScheduledJob, TaskOrigin, WorkerProcess

logger = logging.getLogger(__name__)

INLINE = "inline"  # the worker id of tasks run in the process that enqueued them (tests)
SCHEDULE_EVERY = 1.0  # seconds between two looks at the schedule
T = TypeVar("T")
Result = DBTaskResult[Any, Any]  # a task's row


class Interrupted(Exception):
    """The worker was told to stop at once while the task ran: it goes back to the queue."""


def _due() -> Q:
    return Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now())


def _fresh_connection() -> None:
    """As at a request's start: a broken or too old connection is dropped (never inside a transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _durably(write: Callable[[], T]) -> T:
    """A bookkeeping write that must not be lost to a dropped connection or a locked SQLite file."""
    for attempt in range(50):
        try:
            return write()
        except OperationalError:
            if attempt == 49 or connection.in_atomic_block:
                raise
            connection.close()
            time.sleep(0.1)
    raise AssertionError("unreachable")


def claim(
    worker_id: str, *, queues: Sequence[str] | None = None, pk: str | None = None, look_first: bool = True
) -> Result | None:
    """Take the first ready task (or task `pk`) for `worker_id`; None when there is none. `look_first`:
    an idle worker first looks without a lock (SQLite: no write transaction at every poll)."""
    ready = DBTaskResult.objects.ready()
    if queues:
        ready = ready.filter(queue_name__in=queues)
    if pk is not None:
        ready = ready.filter(pk=pk)
    elif look_first and not ready.exists():
        return None
    with exclusive_transaction():
        result = ready.get_locked()
        if result is None:
            return None
        result.claim(worker_id)
        if policy_of(result.task_path).coalesce:
            now = timezone.now()
            DBTaskResult.objects.filter(
                _due(),
                status=TaskResultStatus.READY,
                task_path=result.task_path,
                backend_name=result.backend_name,
                args_kwargs=result.args_kwargs,
            ).exclude(pk=result.pk).update(
                status=TaskResultStatus.SUCCESSFUL,
                started_at=now,
                finished_at=now,
                return_value={"coalesced_into": str(result.pk)},
            )
    return result


def _finish(result: Result, claimed_at: dt.datetime | None, **fields: Any) -> bool:
    """Record the end of this try, unless the task was taken from this worker meanwhile (its lease ran out)."""
    mine = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=claimed_at)
    written = _durably(lambda: mine.update(**fields))
    if not written:
        logger.warning("task %s (%s) was taken from this worker before it ended", result.pk, result.task_path)
    return bool(written)


def _error_fields(error: BaseException) -> dict[str, Any]:
    return {"exception_class_path": get_module_path(type(error)), "traceback": get_exception_traceback(error)}


def execute(result: Result) -> bool:
    """Run a claimed task and record how it ended; whether it succeeded. A failure is retried after
    the task's backoff until its tries run out, then the task is FAILED. The task's log lines carry the
    id of the request that enqueued it (`TaskOrigin`), or the task's own id (ADR 0080)."""
    origin = TaskOrigin.objects.filter(task_id=result.pk).values_list("request_id", flat=True).first()
    with observability.request_id_set(origin or str(result.pk)):
        return _execute(result)


def _execute(result: Result) -> bool:
    claimed_at = result.started_at
    tries = len(result.worker_ids)
    policy = policy_of(result.task_path)
    try:
        task = result.task
        value = task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    except (KeyboardInterrupt, SystemExit, Interrupted) as error:
        _finish(result, claimed_at, status=TaskResultStatus.READY, run_after=get_date_max(), **_error_fields(error))
        raise
    except Exception as error:
        final = tries >= policy.attempts or isinstance(error, (ImportError, SuspiciousOperation))
        observability.TASKS_RUN.labels(task=result.task_path, outcome="failed" if final else "retry").inc()
        logger.log(
            logging.ERROR if final else logging.WARNING,
            "task %s (%s) failed on try %s of %s%s",
            result.pk,
            result.task_path,
            tries,
            policy.attempts,
            "" if final else f"; again in {policy.delay(tries).total_seconds():.0f} s",
            exc_info=True,
        )
        _fresh_connection()
        if final:
            ended = timezone.now()
            _finish(result, claimed_at, status=TaskResultStatus.FAILED, finished_at=ended, **_error_fields(error))
        else:
            _finish(
                result,
                claimed_at,
                status=TaskResultStatus.READY,
                run_after=timezone.now() + policy.delay(tries),
                **_error_fields(error),
            )
        return False
    _fresh_connection()
    observability.TASKS_RUN.labels(task=result.task_path, outcome="succeeded").inc()
    try:
        normalized = normalize_json(value)
    except (TypeError, ValueError):
        normalized = repr(value)[:1000]
    _finish(
        result,
        claimed_at,
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now(),
        return_value=normalized,
        exception_class_path="",
        traceback="",
    )
    return True


def run_ready(*, worker_id: str = INLINE, limit: int = 10_000) -> int:
    """Run the tasks that are ready now in this process, until none is left (tests, `torelik worker --burst`)."""
    done = 0
    while done < limit and (result := claim(worker_id, look_first=done == 0)) is not None:
        execute(result)
        done += 1
    return done


# --- tasks run where they were enqueued, after the commit (the test suite: TORELIK_TASKS_INLINE) ------


def _run_after_commit(sender: Any, task_result: Any, **kwargs: Any) -> None:
    if not settings.TORELIK_TASKS_INLINE or task_result.task.run_after is not None:
        return  # deferred: the test moves its clock and runs it itself
    # Named like the function (Django's robust hook logs the callback's __qualname__, which a bare partial lacks).
    transaction.on_commit(update_wrapper(partial(_run_one, task_result.id), _run_one), robust=True)


def _run_one(pk: str) -> None:
    result = claim(INLINE, pk=pk)
    if result is not None:
        execute(result)


def record_origin(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """Keeps the id of the request that enqueues a task, in the transaction that enqueues it (ADR 0080)."""
    request_id = observability.current_request_id()
    if request_id and isinstance(sender, type) and issubclass(sender, DatabaseBackend):
        TaskOrigin.objects.create(task_id=task_result.id, request_id=request_id)


def run_inline_after_commit() -> None:
    """Run each task right after the transaction that enqueued it commits, in that process: the suite
    stays deterministic while the tasks take the same path through the queue as in a worker."""
    task_enqueued.connect(_run_after_commit, dispatch_uid="torelik-inline-tasks")


# --- workers seen, leases ---------------------------------------------------------------------------


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return True  # an earlier process of this host whose id this one now has
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def reap(*, me: str = "", now: dt.datetime | None = None) -> int:
    """Mark lost the workers not seen within the lease (or whose process is gone from this host) and put
    their running tasks back in the queue (or FAILED, when that was their last try); the tasks taken back."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=settings.TORELIK_WORKER_LEASE)
    host = socket.gethostname()
    alive = list(WorkerProcess.objects.filter(stopped_at=None, lost_at=None))
    lost = [
        w.pk for w in alive if w.pk != me and (w.seen_at < now - lease or (w.hostname == host and _process_gone(w.pid)))
    ]
    if lost:
        WorkerProcess.objects.filter(pk__in=lost, lost_at=None).update(lost_at=now)
        logger.warning("workers lost (not seen for %s s or gone): %s", settings.TORELIK_WORKER_LEASE, ", ".join(lost))
    living = {w.pk for w in alive if w.pk not in lost}
    taken = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at")[:1000]:
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in living or owner == INLINE:
            continue
        tries = len(result.worker_ids)
        policy = policy_of(result.task_path)
        error = {
            "exception_class_path": "torelik.workers.runner.WorkerLost",
            "traceback": f"The worker {owner} stopped while running this task (try {tries} of {policy.attempts}).",
        }
        if tries >= policy.attempts:
            fields: dict[str, Any] = {"status": TaskResultStatus.FAILED, "finished_at": now, **error}
        else:
            fields = {"status": TaskResultStatus.READY, "run_after": get_date_max(), **error}
        taken += DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(**fields)
    if taken:
        logger.warning("%s tasks of lost workers taken back", taken)
    return taken


# --- the schedule --------------------------------------------------------------------------------------


def sync_schedule(now: dt.datetime | None = None) -> None:
    """Write the schedule declared in code (`@periodic`) to the table: a new job is due at once (its
    current period runs), a changed period starts from the current one."""
    now = now or timezone.now()
    for job in schedule.values():
        every = int(job.every.total_seconds())
        start = job.period_start(now)
        row = ScheduledJob.objects.filter(pk=job.name).first()
        if row is None:
            with contextlib.suppress(IntegrityError), transaction.atomic():
                ScheduledJob.objects.create(
                    name=job.name, task_path=job.task.module_path, every_seconds=every, at=job.at, next_run_at=start
                )
        elif (row.task_path, row.every_seconds, row.at) != (job.task.module_path, every, job.at):
            ran = row.last_period is not None and row.last_period >= start
            ScheduledJob.objects.filter(pk=job.name).update(
                task_path=job.task.module_path,
                every_seconds=every,
                at=job.at,
                next_run_at=start + job.every if ran else start,
            )


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue the task of every job whose period has come, once per period whoever else looks; the
    names of the jobs enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for name in ScheduledJob.objects.filter(next_run_at__lte=now).values_list("name", flat=True):
        job = schedule.get(name)
        if job is None:
            continue  # no longer declared in this code
        with exclusive_transaction():
            row = ScheduledJob.objects.select_for_update(skip_locked=True).filter(pk=name, next_run_at__lte=now).first()
            if row is None:
                continue  # another worker took this period
            start = job.period_start(now)
            result = job.task.enqueue()
            row.last_run_at = now
            row.last_period = start
            row.next_run_at = start + job.every
            row.last_task_id = str(result.id)
            row.runs += 1
            row.save()
        enqueued.append(name)
    return enqueued


# --- the worker process ------------------------------------------------------------------------------


class Heartbeat(threading.Thread):
    """Writes the worker's `seen_at` every few seconds, on a connection of its own, while tasks run."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name="torelik-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    WorkerProcess.objects.filter(pk=self.worker_id).update(seen_at=timezone.now())
                except Exception:
                    logger.exception("heartbeat not written; trying again")
                    connection.close()
        finally:
            connection.close()


class Worker:
    def __init__(
        self,
        *,
        queues: Sequence[str] | None = None,
        poll: float | None = None,
        worker_id: str | None = None,
        max_tasks: int | None = None,
        burst: bool = False,
    ) -> None:
        self.queues = list(queues or [])
        self.poll = settings.TORELIK_WORKER_POLL if poll is None else poll
        # Unique per process, even under a fixed name: a restarted worker must not pass for the one that died.
        self.id = f"{(worker_id or f'{socket.gethostname()[:30]}-{os.getpid()}')[:50]}-{uuid.uuid4().hex[:8]}"
        self.max_tasks = max_tasks
        self.burst = burst
        self.stopping = threading.Event()
        self.done = 0
        self._last_schedule = 0.0
        self._last_reap = 0.0

    def stop(self) -> None:
        """Finish the task under way, then stop."""
        self.stopping.set()

    def run(self) -> None:
        autodiscover_modules("tasks")  # done at start-up already (WorkersConfig.ready); imports are cached
        now = timezone.now()
        WorkerProcess.objects.update_or_create(
            pk=self.id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "queues": ",".join(self.queues) or "*",
                "started_at": now,
                "seen_at": now,
            },
        )
        heartbeat = Heartbeat(self.id, settings.TORELIK_WORKER_HEARTBEAT)
        heartbeat.start()
        logger.info("worker %s started (queues: %s)", self.id, ",".join(self.queues) or "all")
        try:
            sync_schedule()
            busy = False  # the last look found a task: the next one takes a lock at once
            while not self.stopping.is_set():
                try:
                    _fresh_connection()
                    self._housekeeping()
                    result = claim(self.id, queues=self.queues, look_first=not busy)
                except OperationalError:
                    # The database went away for a moment (a restart, too many clients): wait and look again.
                    logger.exception("worker %s: the database did not answer; trying again in a second", self.id)
                    connection.close()
                    self.stopping.wait(1.0)
                    continue
                busy = result is not None
                if result is None:
                    if self.burst:
                        break
                    self.stopping.wait(self.poll)
                    continue
                execute(result)
                self.done += 1
                if self.max_tasks is not None and self.done >= self.max_tasks:
                    break
        finally:
            heartbeat.stopped.set()
            with contextlib.suppress(Exception):
                _durably(
                    lambda: WorkerProcess.objects.filter(pk=self.id).update(
                        stopped_at=timezone.now(), seen_at=timezone.now(), tasks_done=self.done
                    )
                )
            logger.info("worker %s stopped after %s tasks", self.id, self.done)
            _fresh_connection()

    def _housekeeping(self) -> None:
        moment = time.monotonic()
        if moment - self._last_reap >= settings.TORELIK_WORKER_HEARTBEAT:
            self._last_reap = moment
            _durably(lambda: reap(me=self.id))
            WorkerProcess.objects.filter(pk=self.id).update(tasks_done=self.done)
        if moment - self._last_schedule >= SCHEDULE_EVERY:
            self._last_schedule = moment
            _durably(run_due_jobs)


@contextlib.contextmanager
def signals_stop(worker: Worker) -> Iterator[None]:
    """SIGTERM and SIGINT stop `worker` gracefully; a second one interrupts the task under way."""
    import signal

    def handle(signum: int, frame: Any) -> None:
        if worker.stopping.is_set():
            raise Interrupted(signal.strsignal(signum) or str(signum))
        logger.warning("%s: stopping once the task under way ends", signal.strsignal(signum))
        worker.stop()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
