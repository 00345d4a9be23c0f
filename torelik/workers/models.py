"""The worker processes seen by the database (their heartbeat is what a task's lease rests on) and the
schedule of periodic jobs. The tasks themselves are `django_tasks_db`'s rows (ADR 0042)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class WorkerProcess(models.Model):
    """One `torelik worker` process: it writes `seen_at` every few seconds while it lives. A worker
    not seen for TORELIK_WORKER_LEASE seconds is lost, and the tasks it was running are taken again."""

    id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    queues = models.CharField(_("queues"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"))
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    lost_at = models.DateTimeField(_("lost at"), null=True, blank=True)
    tasks_done = models.PositiveIntegerField(_("tasks done"), default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["stopped_at", "lost_at", "seen_at"], name="worker_alive")]
        verbose_name = _("worker process")
        verbose_name_plural = _("worker processes")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.id})"


class ScheduledJob(models.Model):
    """A periodic job (`workers.background.periodic`): due at `next_run_at`; the worker that takes it
    enqueues its task and moves `next_run_at` to the next period in one transaction, so a period runs once."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    task_path = models.CharField(_("task"), max_length=255)
    every_seconds = models.PositiveIntegerField(_("every, seconds"))
    at = models.TimeField(_("from"))
    next_run_at = models.DateTimeField(_("next run at"))
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_period = models.DateTimeField(_("last period"), null=True, blank=True)
    last_task_id = models.CharField(_("last task"), max_length=64, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name


class TaskOrigin(models.Model):
    """The request that enqueued a task, so that the task's log lines carry its id (ADR 0080). Deleted with
    the task's row."""

    task = models.OneToOneField(
        DBTaskResult, verbose_name=_("task"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    request_id = models.CharField(_("request id"), max_length=64)

    class Meta:
        verbose_name = _("origin of a task")
        verbose_name_plural = _("origins of tasks")

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.request_id}"
