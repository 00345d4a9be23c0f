"""Who may see and resend which message: the staff of its court (through the case file's rule of
which courts a staff member reads), a superuser everything. Anyone else is told it does not exist."""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import staff_court_ids
from torelik.identity.models import User
from torelik.notifications import queries
from torelik.notifications.errors import MessageNotFoundError, NotificationErrorCode, NotificationForbiddenError
from torelik.notifications.models import Message


def court_ids_for(user: User | None) -> set[int]:
    return staff_court_ids(user)


def messages_visible_to(user: User | None, *, status: str | None = None) -> QuerySet[Message]:
    """Messages of the courts of a staff member; PermissionDenied for anyone who is not staff."""
    courts = court_ids_for(user)
    if not courts:
        raise NotificationForbiddenError(
            NotificationErrorCode.NOT_STAFF_OF_COURT, _("Only court staff see the messages of their court.")
        )
    return queries.messages_of_courts(courts, status=status)


def access_message_for(user: User | None, message_id: uuid.UUID | str) -> Message:
    courts = court_ids_for(user)
    message = (
        Message.objects.select_related("court", "case").filter(public_id=message_id, court_id__in=courts).first()
        if courts
        else None
    )
    if message is None:
        raise MessageNotFoundError(
            NotificationErrorCode.NOT_FOUND,
            _("There is no message %(id)s that you may see."),
            params={"id": str(message_id)},
        )
    return message
