"""Pages of the notifications context: the staff's view of their court's outbox (failed and recent
messages, with a resend button) and the message figures of the month."""

import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.identity.models import User
from torelik.notifications import access, actions, queries
from torelik.notifications.models import MessageStatus

RECENT = 50


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@login_required
@require_http_methods(["GET"])
def outbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    courts = access.court_ids_for(user)
    if not courts:
        return render(request, "notifications/outbox.html", {"not_staff": True}, status=403)
    failed = list(access.messages_visible_to(user, status=MessageStatus.FAILED)[:RECENT])
    recent = list(access.messages_visible_to(user)[:RECENT])
    today = clock.today()
    stats = queries.message_statistics(court_ids=courts, start=today.replace(day=1), end=today)
    return render(request, "notifications/outbox.html", {"failed": failed, "recent": recent, "stats": stats})


@login_required
@require_POST
def resend(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        message = access.access_message_for(user, message_id)
        assert user is not None  # noqa: S101 - access refuses anonymous users
        actions.resend(message=message, actor=user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:outbox")
