"""Real worker processes on PostgreSQL: a job killed with `kill -9` mid-way runs again and its period
once; SIGTERM lets the task under way finish; two workers never run one task twice (ADR 0042)."""

import datetime as dt
import signal
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.workers.models import ScheduledJob, WorkerProcess
from torelik.workers.tests import jobs
from torelik.workers.tests.processes import kill, needs_postgresql, start_worker, wait_for, workers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _files(directory: Path, prefix: str) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.startswith(prefix))


def test_a_scheduled_job_killed_mid_way_runs_again_and_its_period_once(tmp_path: Path) -> None:
    needs_postgresql()
    env = {"TORELIK_TEST_JOBS_DIR": str(tmp_path), "TORELIK_TEST_JOB_PAUSE": "2"}
    first = start_worker(env=env)
    try:
        assert wait_for(lambda: bool(_files(tmp_path, "started-hour-")), timeout=30), "the job never started"
        kill(first)  # in the middle of the hour's job
    finally:
        if first.poll() is None:
            kill(first)
    assert not _files(tmp_path, "done-")
    with workers(2, env=env):  # the restart, and a second worker looking at the same schedule
        assert wait_for(lambda: bool(_files(tmp_path, "done-hour-")), timeout=60), "the job was not taken again"
    job = ScheduledJob.objects.get(pk="tests.hourly")
    assert job.runs == 1  # the period was enqueued once
    (row,) = DBTaskResult.objects.filter(task_path="torelik.workers.tests.jobs.hourly")
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2  # the killed try and the one that finished
    assert len(_files(tmp_path, "started-hour-")) == 2
    assert len(_files(tmp_path, "done-hour-")) == 1


def test_sigterm_lets_the_task_under_way_finish(tmp_path: Path) -> None:
    needs_postgresql()
    env = {"TORELIK_TEST_JOBS_DIR": str(tmp_path)}
    ScheduledJob.objects.create(  # the hour's job is not due: only the slow task runs
        name="tests.hourly",
        task_path="torelik.workers.tests.jobs.hourly",
        every_seconds=3600,
        at=timezone.now().time().replace(minute=0, second=0, microsecond=0),
        next_run_at=timezone.now() + dt.timedelta(hours=1),
    )
    result = jobs.mark.enqueue(name="slow", pause=2.0)
    worker = start_worker(env=env)
    assert wait_for(lambda: bool(_files(tmp_path, "started-slow-")), timeout=30)
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    assert _files(tmp_path, "done-slow")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
    (seen,) = WorkerProcess.objects.all()
    assert seen.stopped_at is not None
    assert seen.lost_at is None


def test_two_workers_run_every_task_once(tmp_path: Path) -> None:
    needs_postgresql()
    env = {"TORELIK_TEST_JOBS_DIR": str(tmp_path)}
    results = [jobs.mark.enqueue(name=f"n{n:03d}") for n in range(150)]
    with workers(2, env=env):
        assert wait_for(
            lambda: (
                not DBTaskResult.objects.filter(
                    pk__in=[r.id for r in results], status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
                ).exists()
            ),
            timeout=120,
        )
    started = _files(tmp_path, "started-n")
    assert len(started) == 150  # one start per task: no task was run by both
    assert len({name.split("-")[1] for name in started}) == 150
    assert len({name.split("-")[2] for name in started}) == 2  # both workers did some
