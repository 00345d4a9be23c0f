"""Reads of the outbox: the statistics the Supreme Court reports (per court and period) and the
messages a staff member sees."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from torelik.notifications.models import Channel, Message, MessageStatus

# Handed to the network (whatever happened there afterwards).
SENT_STATUSES = (MessageStatus.SENT, MessageStatus.DELIVERED)
HANDED = Q(sent_at__isnull=False)


@dataclass(frozen=True)
class Figures:
    """Messages created in the period. `sent` counts those the gateway accepted (SMS and e-mail),
    `delivered` those the network confirmed (SMS only: e-mail has no delivery report)."""

    messages: int = 0
    sent: int = 0
    sms_sent: int = 0
    email_sent: int = 0
    delivered: int = 0
    failed: int = 0
    expired: int = 0
    queued: int = 0
    segments: int = 0
    cost: Decimal = Decimal("0.00")
    recipients_notified: int = 0

    @property
    def delivery_rate(self) -> float | None:
        """Share of the SMS sent that the network confirmed as delivered; None when none was sent."""
        return self.delivered / self.sms_sent if self.sms_sent else None


@dataclass(frozen=True)
class Statistics:
    start: dt.date
    end: dt.date
    total: Figures
    per_court: dict[int | None, Figures] = field(default_factory=dict)

    # Flattened accessors of the totals, as the brief names them.
    @property
    def sent(self) -> int:
        return self.total.sent

    @property
    def delivered(self) -> int:
        return self.total.delivered

    @property
    def failed(self) -> int:
        return self.total.failed

    @property
    def segments(self) -> int:
        return self.total.segments

    @property
    def cost(self) -> Decimal:
        return self.total.cost

    @property
    def recipients_notified(self) -> int:
        return self.total.recipients_notified

    @property
    def delivery_rate(self) -> float | None:
        return self.total.delivery_rate


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in the country's time zone."""
    zone = timezone.get_default_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return lower, upper


_AGGREGATES = {
    "messages": Count("id"),
    "sent": Count("id", filter=HANDED),
    "sms_sent": Count("id", filter=HANDED & Q(channel=Channel.SMS)),
    "email_sent": Count("id", filter=HANDED & Q(channel=Channel.EMAIL)),
    "delivered": Count("id", filter=Q(status=MessageStatus.DELIVERED)),
    "failed": Count("id", filter=Q(status=MessageStatus.FAILED)),
    "expired": Count("id", filter=Q(status=MessageStatus.EXPIRED)),
    "queued": Count("id", filter=Q(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])),
    "segments": Coalesce(Sum("segments", filter=HANDED & Q(channel=Channel.SMS)), 0),
    "cost": Coalesce(Sum("cost", filter=HANDED & Q(channel=Channel.SMS)), Value(Decimal("0.00"))),
    "recipients_notified": Count(
        Concat("recipient_phone", Value("|"), "recipient_email", output_field=CharField()), filter=HANDED, distinct=True
    ),
}


def _figures(row: dict[str, object]) -> Figures:
    return Figures(
        messages=int(row["messages"] or 0),  # type: ignore[call-overload]
        sent=int(row["sent"] or 0),  # type: ignore[call-overload]
        sms_sent=int(row["sms_sent"] or 0),  # type: ignore[call-overload]
        email_sent=int(row["email_sent"] or 0),  # type: ignore[call-overload]
        delivered=int(row["delivered"] or 0),  # type: ignore[call-overload]
        failed=int(row["failed"] or 0),  # type: ignore[call-overload]
        expired=int(row["expired"] or 0),  # type: ignore[call-overload]
        queued=int(row["queued"] or 0),  # type: ignore[call-overload]
        segments=int(row["segments"] or 0),  # type: ignore[call-overload]
        cost=Decimal(str(row["cost"] or 0)).quantize(Decimal("0.01")),
        recipients_notified=int(row["recipients_notified"] or 0),  # type: ignore[call-overload]
    )


def message_statistics(*, court_ids: Iterable[int] | None, start: dt.date, end: dt.date) -> Statistics:
    """Messages created from `start` to `end` (inclusive, local dates), in total and per court id
    (None: messages of no court); `court_ids=None` means every court. A recipient notified through
    two messages (SMS and its e-mail fallback) counts once per address."""
    lower, upper = _bounds(start, end)
    rows = Message.objects.filter(queued_at__gte=lower, queued_at__lt=upper)
    if court_ids is not None:
        rows = rows.filter(court_id__in=list(court_ids))
    total = _figures(rows.aggregate(**_AGGREGATES))
    per_court = {row["court_id"]: _figures(row) for row in rows.order_by().values("court_id").annotate(**_AGGREGATES)}
    return Statistics(start=start, end=end, total=total, per_court=per_court)


def messages_of_courts(court_ids: Iterable[int], *, status: str | None = None) -> QuerySet[Message]:
    """Messages of these courts, newest first (the staff page and API)."""
    rows = Message.objects.filter(court_id__in=list(court_ids)).select_related("court", "case")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-queued_at", "-id")


def due_messages(now: dt.datetime) -> QuerySet[Message]:
    """The sender's due query (also what the benchmark EXPLAINs)."""
    return Message.objects.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at")


def seconds_until_next_due(now: dt.datetime) -> float | None:
    """Seconds until the earliest queued message falls due (0 if one is due), None if none is queued."""
    first = (
        Message.objects.filter(status=MessageStatus.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if first is None:
        return None
    return max((first - now).total_seconds(), 0.0)


def seconds_until_in_doubt(now: dt.datetime, lease: dt.timedelta) -> float | None:
    """Seconds until the oldest message SENDING has been so for `lease` (then a sender settles it), None
    if none is SENDING."""
    first = (
        Message.objects.filter(status=MessageStatus.SENDING)
        .order_by("handed_at")
        .values_list("handed_at", flat=True)
        .first()
    )
    if first is None:
        return None
    return max((first + lease - now).total_seconds(), 0.0)


def delivery_states(public_ids: Iterable[str]) -> dict[str, Message]:
    """The outbox rows of these messages by public id (what a page shows of their delivery)."""
    ids = [value for value in public_ids if value]
    return {str(m.public_id): m for m in Message.objects.filter(public_id__in=ids)} if ids else {}
