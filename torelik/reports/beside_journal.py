"""Reads of the counters kept beside the case journal's one-entry tally (ADR 0109): the hearings
recorded (a held entry and a recording entry of one hearing), the acts published (the publication's
journal) and the SMS sent and delivered (the outbox's records) — what the handlers need of an event,
and the same counters counted again from those records for the rebuild."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.notifications.models import Channel as MessageChannel
from torelik.notifications.models import Message
from torelik.publication.models import PublicationEvent, PublicationEventKind
from torelik.reports import tally

Key = tuple[str, dt.date, int, str, str]  # figure, day, court, proceeding type, key (queries.CounterKey)

SMS = Q(channel=MessageChannel.SMS, sent_at__isnull=False)


def hearing_of() -> Cast:
    """The hearing an entry is of, as plain text (compared with text, not as JSON, on both databases)."""
    return Cast(KeyTextTransform("hearing", "data"), TextField())


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=zoneinfo.ZoneInfo(tally.zone_name()))


def tiyn(cost: Decimal | int | None) -> int:
    """A cost in tenge as whole tiyn (the counters' amounts are integers)."""
    return int((Decimal(cost or 0) * 100).to_integral_value())


def sms_facts(message_ids: Iterable[int]) -> Iterator[tuple[int, str, dt.datetime, int]]:
    """(court, proceeding type of its case or "", sent at, cost in tiyn) of the SMS among `message_ids`
    that have a court and were sent."""
    rows = (
        Message.objects.filter(SMS, pk__in=sorted(set(message_ids)), court__isnull=False)
        .annotate(proceeding=Coalesce("case__proceeding_type", Value("")))
        .values_list("court_id", "proceeding", "sent_at", "cost")
        .order_by("pk")
    )
    for court_id, proceeding, sent_at, cost in rows:
        if court_id is not None and sent_at is not None:  # as filtered: for the type checker
            yield court_id, str(proceeding), sent_at, tiyn(cost)


def sms_of_no_court(first: dt.datetime, after: dt.datetime) -> tuple[int, int, Decimal]:
    """(sent, delivered, cost) of the SMS of no court (the Judicial Office's login codes) sent in
    [first, after): not in the counters, read through their own partial index (ADR 0109)."""
    sums = Message.objects.filter(SMS, court__isnull=True, sent_at__gte=first, sent_at__lt=after).aggregate(
        sent=Count("id"), delivered=Count("id", filter=Q(delivered_at__isnull=False)), cost=Sum("cost")
    )
    return int(sums["sent"]), int(sums["delivered"]), Decimal(sums["cost"] or 0)


def recorded_hearings(cases: Q | None = None) -> QuerySet[CaseEvent]:
    """The held entries of hearings with a recording entry (any time, before or after), of `cases`."""
    recordings = (
        CaseEvent.objects.filter(case_id=OuterRef("case_id"), kind=CaseEventKind.RECORDING_ADDED)
        .annotate(of=hearing_of())
        .filter(of=OuterRef("hearing"))
    )
    held = CaseEvent.objects.filter(kind=CaseEventKind.HEARING_HELD)
    if cases is not None:
        held = held.filter(cases)
    return held.annotate(hearing=hearing_of()).filter(Exists(recordings))


def recorded_by_day(cases: Q | None = None) -> Iterator[tuple[dt.date, int, str, int]]:
    """(day of the held entry, court, proceeding type, hearings recorded)."""
    rows = (
        recorded_hearings(cases)
        .annotate(day=_day("occurred_at"))
        .values("day", "case__court_id", "case__proceeding_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        yield r["day"], r["case__court_id"], r["case__proceeding_type"], int(r["n"])


def count_beside_journal() -> dict[Key, tuple[int, int]]:
    """The day counters of ADR 0109 counted again from their records (no months' roll-ups)."""
    out: defaultdict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for day, court, proceeding, n in recorded_by_day():
        out[(tally.RECORDED, day, court, proceeding, "")][0] += n
    published = (
        PublicationEvent.objects.filter(kind=PublicationEventKind.PUBLISHED)
        .annotate(day=_day("occurred_at"))
        .values("day", "published_act__court_id", "published_act__proceeding_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in published:
        key = (tally.PUBLISHED, r["day"], r["published_act__court_id"], r["published_act__proceeding_type"], "")
        out[key][0] += int(r["n"])
    sms = (
        Message.objects.filter(SMS, court__isnull=False)
        .annotate(day=_day("sent_at"), proceeding=Coalesce("case__proceeding_type", Value("")))
        .values("day", "court_id", "proceeding")
        .annotate(n=Count("id"), delivered=Count("id", filter=Q(delivered_at__isnull=False)), cost=Sum("cost"))
        .order_by()
    )
    for r in sms:
        sent = out[(tally.SMS_SENT, r["day"], r["court_id"], r["proceeding"], "")]
        sent[0] += int(r["n"])
        sent[1] += tiyn(r["cost"])
        if r["delivered"]:
            out[(tally.SMS_DELIVERED, r["day"], r["court_id"], r["proceeding"], "")][0] += int(r["delivered"])
    return {k: (c, a) for k, (c, a) in out.items() if c or a}
