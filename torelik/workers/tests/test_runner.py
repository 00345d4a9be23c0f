"""The engine in one process: retries with growing waits and a final FAILED state, coalescing copies,
leases of workers that died, the schedule run once per period, the tasks of a transaction that rolled
back never run (ADR 0042). Worker processes are in test_processes.py."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.workers import runner
from torelik.workers.background import schedule
from torelik.workers.models import ScheduledJob, WorkerProcess
from torelik.workers.tests import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls() -> Iterator[None]:
    jobs.calls.clear()
    yield
    jobs.calls.clear()


def _row(result_id: str) -> DBTaskResult:  # type: ignore[type-arg]
    return DBTaskResult.objects.get(pk=result_id)


def _run_now(result_id: str) -> None:
    """Make the task due now (its backoff waited out) and run it as a worker would."""
    DBTaskResult.objects.filter(pk=result_id).update(run_after=timezone.now())
    claimed = runner.claim("test-worker", pk=result_id)
    assert claimed is not None
    runner.execute(claimed)


def test_a_task_of_a_rolled_back_transaction_is_never_queued() -> None:
    class RolledBack(Exception):
        pass

    def change() -> None:
        with transaction.atomic():
            jobs.flaky.enqueue(name="rolled back")
            raise RolledBack

    with pytest.raises(RolledBack):
        change()
    assert not DBTaskResult.objects.exists()


def test_a_failing_task_is_tried_again_after_growing_waits_and_the_error_is_kept() -> None:
    result = jobs.flaky.enqueue(name="a")
    before = timezone.now()
    _run_now(result.id)
    row = _row(result.id)
    assert row.status == TaskResultStatus.READY  # waiting for its second try
    assert "not yet" in row.traceback
    assert dt.timedelta(seconds=1.5) < row.run_after - before < dt.timedelta(seconds=3)  # 2 s
    assert runner.claim("test-worker") is None  # not before its time
    before = timezone.now()
    _run_now(result.id)
    row = _row(result.id)
    assert dt.timedelta(seconds=3.5) < row.run_after - before < dt.timedelta(seconds=5)  # then 4 s
    _run_now(result.id)
    row = _row(result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "a"
    assert row.traceback == ""
    assert len(row.worker_ids) == 3


def test_a_task_whose_tries_run_out_is_failed_with_its_traceback() -> None:
    result = jobs.always_failing.enqueue()
    _run_now(result.id)
    assert _row(result.id).status == TaskResultStatus.READY
    _run_now(result.id)
    row = _row(result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert "this task never succeeds" in row.traceback
    assert runner.claim("test-worker") is None  # a failed task waits for a person


def test_waiting_copies_of_a_coalescing_task_are_done_by_one_run() -> None:
    first = jobs.sweep.enqueue(area="north")
    copies = [jobs.sweep.enqueue(area="north") for _ in range(3)]
    other = jobs.sweep.enqueue(area="south")
    assert runner.run_ready(worker_id="test-worker") == 2
    assert sorted(jobs.calls) == ["north", "south"]
    assert _row(first.id).status == TaskResultStatus.SUCCESSFUL
    for copy in copies:
        row = _row(copy.id)
        assert row.status == TaskResultStatus.SUCCESSFUL
        assert row.return_value == {"coalesced_into": first.id}
    assert _row(other.id).return_value == 2


def _running_on(worker: WorkerProcess, *, tries: int) -> str:
    result = jobs.flaky.enqueue(name="held")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=[worker.pk] * tries
    )
    return str(result.id)


def _worker(name: str, *, seen: dt.timedelta, pid: int = 1) -> WorkerProcess:
    now = timezone.now()
    return WorkerProcess.objects.create(
        pk=name, hostname="another-host", pid=pid, queues="*", started_at=now - seen, seen_at=now - seen
    )


def test_the_task_of_a_worker_not_seen_within_the_lease_is_taken_again(settings: object) -> None:
    alive = _worker("alive", seen=dt.timedelta(seconds=2))
    lost = _worker("lost", seen=dt.timedelta(seconds=31))
    held = _running_on(alive, tries=1)
    abandoned = _running_on(lost, tries=1)
    last_try = _running_on(lost, tries=3)
    assert runner.reap(me="test-worker") == 2
    assert _row(held).status == TaskResultStatus.RUNNING
    assert _row(abandoned).status == TaskResultStatus.READY
    assert "stopped while running" in _row(abandoned).traceback
    assert _row(last_try).status == TaskResultStatus.FAILED  # that was its third try of three
    assert WorkerProcess.objects.get(pk="lost").lost_at is not None
    assert WorkerProcess.objects.get(pk="alive").lost_at is None


def test_a_late_answer_of_a_worker_whose_task_was_taken_again_is_not_recorded() -> None:
    result = jobs.sweep.enqueue(area="east")
    claimed = runner.claim("slow-worker")
    assert claimed is not None
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.READY)  # taken back by a reaper
    again = runner.claim("test-worker")
    assert again is not None
    runner.execute(claimed)  # the slow worker ends now: its claim is no longer the row's
    assert _row(result.id).status == TaskResultStatus.RUNNING
    runner.execute(again)
    assert _row(result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_periodic_job_is_enqueued_once_per_period_however_many_workers_look() -> None:
    assert "tests.hourly" in schedule
    start = dt.datetime(2030, 5, 6, 10, 0, tzinfo=dt.UTC)
    runner.sync_schedule(start + dt.timedelta(minutes=20))
    job = ScheduledJob.objects.get(pk="tests.hourly")
    assert job.next_run_at == start  # a new job runs for the current period
    assert "tests.hourly" in runner.run_due_jobs(start + dt.timedelta(minutes=20))
    assert "tests.hourly" not in runner.run_due_jobs(start + dt.timedelta(minutes=21))  # a second worker's look
    job.refresh_from_db()
    assert (job.runs, job.last_period, job.next_run_at) == (1, start, start + dt.timedelta(hours=1))
    assert DBTaskResult.objects.filter(task_path="torelik.workers.tests.jobs.hourly").count() == 1
    # Workers stopped for three hours: the job runs once when they come back, not three times.
    assert "tests.hourly" in runner.run_due_jobs(start + dt.timedelta(hours=4, minutes=5))
    assert "tests.hourly" not in runner.run_due_jobs(start + dt.timedelta(hours=4, minutes=6))
    job.refresh_from_db()
    assert (job.runs, job.next_run_at) == (2, start + dt.timedelta(hours=5))


def test_a_daily_job_falls_at_its_local_hour() -> None:
    from torelik.workers.background import Periodic

    daily = Periodic(name="x", task=jobs.hourly, every=dt.timedelta(days=1), at=dt.time(7, 0))
    # 07:00 in Almaty (UTC+5) is 02:00 UTC: at 01:59 UTC the day's period has not begun.
    moment = dt.datetime(2030, 5, 6, 1, 59, tzinfo=dt.UTC)
    assert daily.period_start(moment) == dt.datetime(2030, 5, 5, 2, 0, tzinfo=dt.UTC)
    assert daily.period_start(moment + dt.timedelta(minutes=1)) == dt.datetime(2030, 5, 6, 2, 0, tzinfo=dt.UTC)
