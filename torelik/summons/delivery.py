"""The one place where the summons context hands messages to the outbox of notifications (the
subpoena code, the notice of a revoked subpoena, the SMS login to a case's documents) and reads
the outbox's figures back for the statistics."""

import datetime as dt
import logging
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from torelik.cases.models import Case
from torelik.courts.models import Court
from torelik.notifications import actions as notifications_actions
from torelik.notifications import queries as notification_queries
from torelik.notifications.actions import enqueue
from torelik.notifications.errors import InvalidPhoneError, NotificationError, NotificationErrorCode
from torelik.notifications.models import Template
from torelik.notifications.phones import normalise_phone

__all__ = ["InvalidPhoneError", "normalise"]

logger = logging.getLogger(__name__)

HEARING_SUMMONS = str(Template.HEARING_SUMMONS)
CLAIM_FILED_AGAINST_YOU = str(Template.CLAIM_FILED_AGAINST_YOU)
DOCUMENT_RECEIVED = str(Template.DOCUMENT_RECEIVED)
FILING_REGISTERED = str(Template.FILING_REGISTERED)

# A recipient that cannot be written to is no reason to refuse the hearing or the registration:
# the subpoena stays, without a message, for the court office to serve on paper.
UNREACHABLE = frozenset(
    {
        NotificationErrorCode.INVALID_PHONE,
        NotificationErrorCode.NOT_MOBILE,
        NotificationErrorCode.FOREIGN_PHONE,
        NotificationErrorCode.INVALID_EMAIL,
        NotificationErrorCode.NO_RECIPIENT,
    }
)


def normalise(raw: str) -> str:
    """`8 701 123 45 67` → `+77011234567`; raises notifications' InvalidPhoneError (translated, 422)."""
    return normalise_phone(raw)


@dataclass(frozen=True)
class Outgoing:
    """A message for the outbox; `cause` makes a repeated enqueue of the same cause a no-op."""

    template: str
    language: str
    payload: dict[str, str]
    cause: str
    phone: str = ""
    email: str = ""
    recipient_name: str = ""
    court: Court | None = None
    case: Case | None = None


def send(message: Outgoing) -> str:
    """Write the message to the outbox in the caller's transaction (sent once it commits); the
    public id of its row, or "" when the recipient cannot be reached."""
    try:
        row = enqueue(
            template=message.template,
            language=message.language,
            payload=message.payload,
            phone=message.phone,
            email=message.email,
            recipient_name=message.recipient_name,
            cause=message.cause,
            court=message.court,
            case=message.case,
        )
    except NotificationError as error:
        if error.code not in UNREACHABLE:
            raise
        logger.warning("summons: %s not written to the outbox: %s", message.cause, error.code)
        return ""
    return str(row.public_id)


@dataclass(frozen=True)
class MessageFigures:
    sent: int = 0
    sms_sent: int = 0
    delivered: int = 0
    failed: int = 0
    segments: int = 0
    cost: Decimal = Decimal("0")


def message_figures(*, court_ids: Collection[int] | None, start: dt.date, end: dt.date) -> dict[int, MessageFigures]:
    """Messages of the days `start`..`end` per court id, as the outbox counts them (every message of
    the court, not only the summons context's)."""
    figures = notification_queries.message_statistics(court_ids=court_ids, start=start, end=end)
    return {
        court_id: MessageFigures(
            sent=row.sent,
            sms_sent=row.sms_sent,
            delivered=row.delivered,
            failed=row.failed,
            segments=row.segments,
            cost=row.cost,
        )
        for court_id, row in figures.per_court.items()
        if court_id is not None
    }


def withdraw(cause: str, *, reason: str) -> int:
    """Stop the still-queued messages of `cause` (a revoked subpoena's SMS)."""
    return notifications_actions.withdraw(cause=cause, reason=reason)


def never_handed_over(cause: str) -> bool:
    """Whether no message of `cause` can have reached its recipient yet."""
    return notifications_actions.never_handed_over(cause=cause)
