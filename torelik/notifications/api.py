"""JSON API of the notifications context: the staff's list of their court's messages and resending,
and the gateway's delivery reports (protected by a secret token in the URL)."""

import datetime as dt
import hmac
import uuid
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from torelik.core.api import ErrorOut, Session
from torelik.identity.models import User
from torelik.notifications import access, actions
from torelik.notifications.database_locks import retry_when_locked
from torelik.notifications.errors import NotificationErrorCode, NotificationForbiddenError
from torelik.notifications.models import Message, MessageStatus

router = Router(tags=["notifications"])


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


class MessageOut(BaseModel):
    id: uuid.UUID
    channel: str
    template: str
    language: str
    recipient: str
    recipient_name: str
    status: MessageStatus
    status_name: str
    attempts: int
    segments: int
    cost: Decimal
    court: str | None
    case_number: str | None
    queued_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    last_error: str
    fallback_of: uuid.UUID | None
    resend_of: uuid.UUID | None


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.public_id,
        channel=message.channel,
        template=message.template,
        language=message.language,
        recipient=message.recipient,
        recipient_name=message.recipient_name,
        status=MessageStatus(message.status),
        status_name=str(MessageStatus(message.status).label),
        attempts=message.attempts,
        segments=message.segments,
        cost=message.cost,
        court=message.court.code if message.court else None,
        case_number=message.case.number if message.case else None,
        queued_at=message.queued_at,
        sent_at=message.sent_at,
        delivered_at=message.delivered_at,
        next_attempt_at=message.next_attempt_at,
        last_error=message.last_error,
        fallback_of=message.fallback_of.public_id if message.fallback_of_id and message.fallback_of else None,
        resend_of=message.resend_of.public_id if message.resend_of_id and message.resend_of else None,
    )


class MessagesFilter(Schema):
    status: MessageStatus | None = None
    limit: int = Field(100, ge=1, le=1000)


@router.get(
    "/notifications/messages",
    response={200: list[MessageOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Messages of the staff member's courts, newest first (e.g. ?status=failed)",
    auth=Session(),
)
def list_messages(request: HttpRequest, filters: Query[MessagesFilter]) -> list[MessageOut]:
    rows = access.messages_visible_to(_user(request), status=filters.status).select_related("fallback_of", "resend_of")
    limit = min(max(filters.limit, 1), 1000)
    return [message_out(message) for message in rows[:limit]]


@router.post(
    "/notifications/messages/{message_id}/resend",
    response={201: MessageOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Send a failed or expired message again (staff of its court)",
    auth=Session(),
)
def resend(request: HttpRequest, message_id: uuid.UUID) -> Status[MessageOut]:
    user = _user(request)
    message = access.access_message_for(user, message_id)
    assert user is not None  # access refuses anonymous users  # noqa: S101
    return Status(201, message_out(actions.resend(message=message, actor=user)))


class DeliveryReportOut(BaseModel):
    known: bool
    status: str | None


@router.get(
    "/notifications/dlr",
    response={200: DeliveryReportOut, 403: ErrorOut, 422: ErrorOut},
    summary="Delivery report callback of the SMS gateway (Kannel's dlr-url)",
    url_name="notifications_dlr",
)
def delivery_report(
    request: HttpRequest,
    token: str,
    id: str,  # noqa: A002 - the gateway's parameter name
    type: int,  # noqa: A002 - the gateway's parameter name
    smsc_id: str = "",
    answer: str = "",
) -> DeliveryReportOut:
    """An unknown message id is logged and answered 200 without effect: the gateway must not retry it."""
    expected = settings.TORELIK_DLR_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise NotificationForbiddenError(
            NotificationErrorCode.DLR_TOKEN_INVALID, _("This delivery report address is not valid.")
        )
    message = retry_when_locked(
        lambda: actions.record_delivery_report(message_id=id, report_type=type, provider_id=smsc_id, detail=answer)
    )
    return DeliveryReportOut(known=message is not None, status=message.status if message else None)
