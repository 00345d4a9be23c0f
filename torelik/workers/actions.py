"""Writes a person makes to the queue: trying a failed task again."""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from torelik.core.errors import ConflictError, NotFoundError

logger = logging.getLogger(__name__)


@transaction.atomic
def retry_failed(*, task_id: str, actor_name: str) -> None:
    """Put a FAILED task back in the queue with a fresh set of tries; the error it had stays shown
    until it runs. Who may do it is the caller's rule (the administrator, `config.queues`)."""
    try:
        row = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise NotFoundError("task_not_found", _("There is no such task."))
    if row.status != TaskResultStatus.FAILED:
        raise ConflictError("task_not_failed", _("Only a failed task can be tried again."))
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=TaskResultStatus.READY, run_after=get_date_max(), worker_ids=[], finished_at=None
    )
    logger.warning("task %s (%s) put back in the queue by %s", row.pk, row.task_path, actor_name)
