"""The engine's own upkeep: finished tasks and stopped workers are kept TORELIK_TASK_RESULTS_DAYS days
(a failed task ninety days, for staff to read), then deleted, once a day."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.workers.background import background, periodic
from torelik.workers.models import WorkerProcess

FAILED_KEPT_DAYS = 90


@periodic("workers.prune", every=dt.timedelta(days=1), at=dt.time(3, 30))
@background(label=_("Delete finished tasks and stopped workers"), priority=-10, attempts=3, backoff=60.0)
def prune_finished() -> dict[str, int]:
    now = timezone.now()
    kept = now - dt.timedelta(days=settings.TORELIK_TASK_RESULTS_DAYS)
    tasks, _ = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=kept)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - dt.timedelta(days=FAILED_KEPT_DAYS))
    ).delete()
    workers, _ = WorkerProcess.objects.filter(Q(stopped_at__lt=kept) | Q(lost_at__lt=kept)).delete()
    return {"tasks": tasks, "workers": workers}
