"""The staff page of the background work: the queues by task (waiting, retrying, running, failed), the
failed tasks with their error and a button to try one again (the administrator), the scheduled jobs
with their last and next runs, and the workers with when each was last seen (ADR 0042)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from torelik.core.errors import DomainError
from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User
from torelik.workers import actions, queries
from torelik.workers.background import label_of


def _positions(user: object) -> list[str]:
    """The roles `user` holds today, in any court (the one rule: `courts.queries.positions_of`)."""
    return list(positions_of(user).values_list("role", flat=True)) if isinstance(user, User) else []


def may_see(user: object) -> bool:
    return isinstance(user, User) and (user.is_superuser or bool(_positions(user)))


def may_retry(user: object) -> bool:
    return isinstance(user, User) and (user.is_superuser or StaffRole.ADMINISTRATOR in _positions(user))


def _every(seconds: int) -> str:
    if seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("every %(count)d day", "every %(count)d days", days) % {"count": days}
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("every %(count)d hour", "every %(count)d hours", hours) % {"count": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("every %(count)d minute", "every %(count)d minutes", minutes) % {"count": minutes}
    return ngettext("every %(count)d second", "every %(count)d seconds", seconds) % {"count": seconds}


@login_required
def queues(request: HttpRequest) -> HttpResponse:
    if not may_see(request.user):
        raise PermissionDenied
    counts = queries.counts_by_task()
    failed = queries.failed_tasks()
    return render(
        request,
        "queues.html",
        {
            "counts": [(label_of(row.task), row) for row in counts],
            "failed": [(label_of(row.task_path), row, row.traceback.strip().splitlines()[-1:]) for row in failed],
            "retrying": [(label_of(row.task_path), row) for row in queries.retrying_tasks()],
            "jobs": [
                (label_of(job.task_path), job, state, _every(job.every_seconds))
                for job, state in queries.scheduled_jobs()
            ],
            "workers": queries.workers_seen(),
            "may_retry": may_retry(request.user),
        },
    )


@login_required
@require_POST
def retry(request: HttpRequest, task_id: str) -> HttpResponse:
    if not may_retry(request.user):
        raise PermissionDenied
    try:
        actions.retry_failed(task_id=task_id, actor_name=request.user.get_username())
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The task is back in the queue; a worker will take it in a moment."))
    return HttpResponseRedirect(reverse("queues"))
