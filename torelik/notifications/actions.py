"""Every write to the outbox: enqueue a message in the caller's transaction, resend one (staff), and
the sender's state transitions (claim, record the gateway's answer, delivery reports, expiry).

The life of a message (ADR 0025): QUEUED → SENDING (committed *before* the gateway is called) →
SENT (with the provider's id) → DELIVERED by a delivery report; a refusal puts it back to QUEUED with
an exponential backoff until the attempts run out (FAILED, then an SMS falls back to e-mail); a
message too old to matter is EXPIRED. A SENDING row is never handed to the gateway again.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as Cases
from django.db.models import F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import staff_court_ids
from torelik.cases.models import Case
from torelik.core import clock, events
from torelik.courts.models import Court
from torelik.identity.models import User
from torelik.notifications import segments as sms_segments
from torelik.notifications.errors import (
    NotificationError,
    NotificationErrorCode,
    NotificationForbiddenError,
)
from torelik.notifications.events import MessageDelivered, MessagesSent
from torelik.notifications.models import Channel, Message, MessageStatus, Template
from torelik.notifications.phones import normalise_phone
from torelik.notifications.texts import language_of, render

logger = logging.getLogger(__name__)

RESENDABLE = frozenset({MessageStatus.FAILED, MessageStatus.EXPIRED})


def _normalise_email(raw: str) -> str:
    email = (raw or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as error:
        raise NotificationError(
            NotificationErrorCode.INVALID_EMAIL,
            _("%(email)s is not an e-mail address."),
            params={"email": email},
            fields={"email": [str(_("Not an e-mail address."))]},
        ) from error
    return email


def _channel_for(channel: str | None, phone: str, email: str) -> str:
    if channel is None:
        channel = Channel.SMS if phone else Channel.EMAIL
    if channel not in Channel.values:
        raise NotificationError(
            NotificationErrorCode.UNKNOWN_CHANNEL, _("There is no channel %(channel)s."), params={"channel": channel}
        )
    if (channel == Channel.SMS and not phone) or (channel == Channel.EMAIL and not email):
        raise NotificationError(
            NotificationErrorCode.NO_RECIPIENT,
            _("The recipient has no address for %(channel)s."),
            params={"channel": Channel(channel).label},
        )
    return channel


def _by_cause(cause: str) -> Message | None:
    return next(iter(Message.objects.filter(cause=cause).order_by()[:1]), None)


# Not wrapped in an atomic block of its own: its one write is the INSERT inside `_create`'s savepoint,
# and two statements fewer per message count at a national day's volume.
def enqueue(
    *,
    template: str,
    language: str,
    payload: dict[str, str],
    phone: str = "",
    email: str = "",
    recipient_name: str = "",
    cause: str,
    court: Court | None = None,
    case: Case | None = None,
    channel: str | None = None,
) -> Message:
    """Write a message to the outbox in the caller's transaction; it is sent once that commits.

    `cause` is the idempotency key (`subpoena:<uuid>`): the same cause twice gives back the existing
    message. The phone is normalised to E.164 (InvalidPhoneError otherwise); `channel` defaults to SMS
    when there is a phone, e-mail otherwise; an SMS recipient's e-mail is kept for the fallback."""
    existing = _by_cause(cause)
    if existing is not None:
        return existing
    phone_e164 = normalise_phone(phone) if (phone or "").strip() else ""
    email_address = _normalise_email(email)
    chosen = _channel_for(channel, phone_e164, email_address)
    message = _create(
        template=template,
        language=language,
        payload={key: str(value) for key, value in payload.items()},
        phone=phone_e164,
        email=email_address,
        recipient_name=recipient_name,
        cause=cause,
        court=court,
        case=case,
        channel=chosen,
    )
    return message


def _create(
    *,
    template: str,
    language: str,
    payload: dict[str, str],
    phone: str,
    email: str,
    recipient_name: str,
    cause: str,
    court: Court | None,
    case: Case | None,
    channel: str,
    fallback_of: Message | None = None,
    resend_of: Message | None = None,
    actor: User | None = None,
) -> Message:
    language = language_of(language)
    rendered = render(
        template=template, language=language, payload=payload, channel=channel, recipient_name=recipient_name
    )
    now = clock.now()
    counted = sms_segments.segment(rendered.text) if channel == Channel.SMS else None
    fields = {
        "recipient_phone": phone,
        "recipient_email": email,
        "recipient_name": recipient_name[:300],
        "language": language,
        "channel": channel,
        "template": template,
        "payload": payload,
        "subject": rendered.subject[:200],
        "text": rendered.text,
        "status": MessageStatus.QUEUED,
        "queued_at": now,
        "next_attempt_at": now,
        "expires_at": now + dt.timedelta(hours=settings.TORELIK_MESSAGE_EXPIRE_HOURS),
        "segments": counted.segments if counted else 0,
        "cost": sms_segments.sms_cost(counted.segments) if counted else 0,
        "cause": cause,
        "court": court,
        "case": case,
        "fallback_of": fallback_of,
        "resend_of": resend_of,
        "resent_by": actor,
    }
    try:
        with transaction.atomic():  # a savepoint: a concurrent enqueue of the same cause may win
            message = Message.objects.create(**fields)
    except IntegrityError:
        existing = _by_cause(cause)
        if existing is None:
            raise
        return existing
    if settings.TORELIK_SEND_MESSAGES == "task":
        from torelik.notifications.tasks import send_messages  # noqa: PLC0415 - the task module imports this one

        send_messages.enqueue()  # with the message, in the cause's transaction (ADR 0042)
    return message


@transaction.atomic
def resend(*, message: Message, actor: User) -> Message:
    """Send a failed or expired message again, as a new message (the old one keeps its history).
    Staff of the message's court only."""
    if not actor.is_authenticated or not (
        actor.is_superuser or (message.court_id is not None and message.court_id in staff_court_ids(actor))
    ):
        raise NotificationForbiddenError(
            NotificationErrorCode.NOT_STAFF_OF_COURT, _("Only the staff of the message's court may resend it.")
        )
    current = Message.objects.select_for_update().get(pk=message.pk)
    if current.status not in RESENDABLE:
        raise NotificationError(
            NotificationErrorCode.NOT_RESENDABLE,
            _("Only a failed or expired message can be resent; this one is %(status)s."),
            params={"status": MessageStatus(current.status).label},
        )
    resends = Message.objects.filter(resend_of=current)
    if resends.exclude(status__in=RESENDABLE).exists():
        raise NotificationError(
            NotificationErrorCode.NOT_RESENDABLE,
            _("This message has been resent already; the resent message is on its way or was delivered."),
        )
    count = resends.count()
    return _create(
        template=current.template,
        language=current.language,
        payload=current.payload,
        phone=current.recipient_phone,
        email=current.recipient_email,
        recipient_name=current.recipient_name,
        cause=f"{current.cause}:resend:{count + 1}",
        court=current.court,
        case=current.case,
        channel=current.channel,
        resend_of=current,
        actor=actor,
    )


# --- the sender's transitions -------------------------------------------------------------------


def _due(now: dt.datetime) -> Q:
    return Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now)


@transaction.atomic
def claim_due(*, limit: int) -> list[Message]:
    """Take up to `limit` due messages for sending: mark them SENDING and count the attempt, so that
    once this commits no other sender (nor this one after a crash) hands them to the gateway again.
    PostgreSQL: concurrent senders skip each other's rows (FOR UPDATE SKIP LOCKED)."""
    now = clock.now()
    due = Message.objects.filter(_due(now)).order_by("next_attempt_at")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    messages = list(due[:limit])
    if not messages:
        return []
    fresh = [m for m in messages if m.expires_at > now]
    stale = [m.pk for m in messages if m.expires_at <= now]
    if stale:
        Message.objects.filter(pk__in=stale).update(status=MessageStatus.EXPIRED, next_attempt_at=None, updated_at=now)
    Message.objects.filter(pk__in=[m.pk for m in fresh]).update(
        status=MessageStatus.SENDING, handed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    for message in fresh:
        message.status = MessageStatus.SENDING
        message.handed_at = now
        message.attempts += 1
    return fresh


@dataclass(frozen=True)
class Outcome:
    """What a gateway answered for one message."""

    message_id: int
    ok: bool
    provider_id: str = ""
    error: str = ""
    retryable: bool = True


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt `attempts + 1`: base · 2^(attempts − 1), capped at a day."""
    seconds = settings.TORELIK_MESSAGE_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 86_400))


@transaction.atomic
def record_outcomes(outcomes: Sequence[Outcome]) -> list[Message]:
    """Record the gateway's answers; returns the messages that failed for good (after their fallback).

    The accepted ones (nearly all) in two statements whatever their number: the gateway, not the
    database, sets the pace. A delivery report may already have come in (DELIVERED, and the SMSC's id):
    neither is overwritten."""
    now = clock.now()
    accepted = {o.message_id: o.provider_id[:100] for o in outcomes if o.ok}
    if accepted:
        first_sent = tuple(
            Message.objects.filter(pk__in=list(accepted), sent_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=list(accepted)).update(
            status=Cases(When(status=MessageStatus.SENDING, then=Value(MessageStatus.SENT)), default=F("status")),
            sent_at=Coalesce(F("sent_at"), Value(now)),
            next_attempt_at=None,
            last_error="",
            updated_at=now,
        )
        known = set(Message.objects.filter(pk__in=list(accepted)).exclude(provider_id="").values_list("pk", flat=True))
        with_ids = [Message(pk=pk, provider_id=provider) for pk, provider in accepted.items() if pk not in known]
        Message.objects.bulk_update(with_ids, ["provider_id"], batch_size=500)
        if first_sent:
            events.publish(MessagesSent(message_ids=first_sent))
    refused = [o for o in outcomes if not o.ok]
    messages = Message.objects.select_for_update().in_bulk([o.message_id for o in refused]) if refused else {}
    retried: list[Message] = []
    failed: list[Message] = []
    for outcome in refused:
        message = messages.get(outcome.message_id)
        if message is None or message.status != MessageStatus.SENDING:
            continue
        message.updated_at = now
        message.last_error = outcome.error[:2000]
        if outcome.retryable and message.attempts < settings.TORELIK_MESSAGE_MAX_ATTEMPTS:
            message.status = MessageStatus.QUEUED
            message.next_attempt_at = now + backoff(message.attempts)
            retried.append(message)
            continue
        _fail(message, now)
        failed.append(message)
    Message.objects.bulk_update(retried, ["status", "next_attempt_at", "last_error", "updated_at"], batch_size=500)
    return failed


def _fail(message: Message, now: dt.datetime) -> None:
    message.status = MessageStatus.FAILED
    message.failed_at = now
    message.next_attempt_at = None
    message.save(update_fields=["status", "failed_at", "next_attempt_at", "last_error", "updated_at"])
    fall_back(message)


def fall_back(message: Message) -> Message | None:
    """An SMS that failed for good goes to the recipient's e-mail, if there is one (once)."""
    if message.channel != Channel.SMS or not message.recipient_email:
        return None
    return _create(
        template=message.template,
        language=message.language,
        payload=message.payload,
        phone=message.recipient_phone,
        email=message.recipient_email,
        recipient_name=message.recipient_name,
        cause=f"{message.cause}:email",
        court=message.court,
        case=message.case,
        channel=Channel.EMAIL,
        fallback_of=message,
    )


@transaction.atomic
def resolve_interrupted(*, older_than: dt.timedelta, reports_delivery: bool) -> tuple[int, int]:
    """SENDING rows whose sender stopped (a `kill -9`) between committing the hand-over and recording the
    gateway's answer, older than `older_than`; returns (queued again, failed).

    With a gateway that reports on every message it takes (Kannel with our id in its delivery-report
    address, `reports_delivery`), a message it took is SENT by the SMSC's acknowledgement within seconds:
    one still SENDING after the lease never reached it, and is queued for another attempt (ADR 0025,
    amended by ADR 0043). Otherwise nobody can tell, so it is not handed again (no duplicate) but FAILED,
    for staff to see and resend; a delivery report that comes later still turns it DELIVERED."""
    now = clock.now()
    stuck = list(
        Message.objects.select_for_update()
        .filter(status=MessageStatus.SENDING, handed_at__lt=now - older_than)
        .order_by("handed_at")[:1000]
    )
    again = []
    failed = 0
    attempts_left = settings.TORELIK_MESSAGE_MAX_ATTEMPTS
    for message in stuck:
        message.updated_at = now
        if reports_delivery and message.channel == Channel.SMS and message.attempts < attempts_left:
            message.status = MessageStatus.QUEUED
            message.next_attempt_at = now
            message.last_error = str(
                _("The sender stopped while handing the message over and the gateway never reported it: sent again.")
            )
            again.append(message)
            continue
        message.last_error = str(
            _("The sender stopped after handing the message to the gateway; it may have been sent.")
        )
        _fail(message, now)
        failed += 1
    Message.objects.bulk_update(again, ["status", "next_attempt_at", "last_error", "updated_at"], batch_size=500)
    return len(again), failed


@transaction.atomic
def withdraw(*, cause: str, reason: str) -> int:
    """Stop the messages of `cause` (and their resends) that are still waiting in the queue, because
    what they say no longer holds (a revoked subpoena); the number withdrawn. A message already
    handed to the gateway cannot be called back."""
    now = clock.now()
    return (
        Message.objects.filter(Q(cause=cause) | Q(cause__startswith=f"{cause}:resend:"))
        .filter(status=MessageStatus.QUEUED)
        .update(status=MessageStatus.EXPIRED, next_attempt_at=None, last_error=reason, updated_at=now)
    )


def never_handed_over(*, cause: str) -> bool:
    """Whether no message of `cause` (nor a resend) can have reached its recipient: none was ever
    handed to a gateway, not even in an attempt whose answer was lost."""
    handed = [MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED]
    ours = Message.objects.filter(Q(cause=cause) | Q(cause__startswith=f"{cause}:resend:"))
    return not ours.filter(Q(status__in=handed) | Q(attempts__gt=0)).exists()


@transaction.atomic
def expire_overdue() -> int:
    """Queued messages past their expiry (a summons for a hearing already held) are not sent any more."""
    now = clock.now()
    return Message.objects.filter(status=MessageStatus.QUEUED, expires_at__lte=now).update(
        status=MessageStatus.EXPIRED, next_attempt_at=None, updated_at=now
    )


class DeliveryReport:
    """Kannel's DLR types (dlr-mask bits)."""

    DELIVERED = 1
    FAILED = 2
    BUFFERED = 4
    SMSC_ACK = 8
    SMSC_REJECT = 16


@transaction.atomic
def record_delivery_report(
    *, message_id: str, report_type: int, provider_id: str = "", detail: str = ""
) -> Message | None:
    """Apply a delivery report to the message whose public id it names; None if there is no such message."""
    try:
        message = Message.objects.select_for_update().filter(public_id=message_id).first()
    except ValidationError:
        message = None
    if message is None:
        logger.warning("delivery report type %s for unknown message %r ignored", report_type, message_id)
        return None
    now = clock.now()
    if provider_id and not message.provider_id:
        message.provider_id = provider_id[:100]
    was_sent, was_delivered = message.sent_at is not None, message.delivered_at is not None
    if report_type == DeliveryReport.DELIVERED:
        message.status = MessageStatus.DELIVERED
        message.delivered_at = message.delivered_at or now
        message.sent_at = message.sent_at or now
        message.next_attempt_at = None
        message.save(
            update_fields=["status", "delivered_at", "sent_at", "next_attempt_at", "provider_id", "updated_at"]
        )
    elif report_type in {DeliveryReport.FAILED, DeliveryReport.SMSC_REJECT}:
        if message.status in {MessageStatus.SENT, MessageStatus.SENDING, MessageStatus.QUEUED}:
            message.last_error = detail[:2000] or str(_("The network reported the SMS as not delivered."))
            _fail(message, now)
    elif report_type == DeliveryReport.SMSC_ACK:
        # Also for a QUEUED message: its hand-over ended ambiguously (the connection broke while Kannel
        # answered) and it waits for a retry; the SMSC's ack proves Kannel has it, so it is not resent.
        if message.status in {MessageStatus.SENDING, MessageStatus.QUEUED}:
            message.status = MessageStatus.SENT
            message.next_attempt_at = None
        message.sent_at = message.sent_at or now
        message.save(update_fields=["status", "sent_at", "next_attempt_at", "provider_id", "updated_at"])
    if not was_sent and message.sent_at is not None:
        events.publish(MessagesSent(message_ids=(message.pk,)))
    if not was_delivered and message.delivered_at is not None:
        events.publish(MessageDelivered(message_id=message.pk))
    return message


__all__ = [
    "Channel",
    "MessageStatus",
    "Template",
    "backoff",
    "claim_due",
    "enqueue",
    "expire_overdue",
    "resolve_interrupted",
    "record_delivery_report",
    "record_outcomes",
    "resend",
]
