"""Delivering the outbox to a partner (ADR 0092), run by the workers' task `exchange.tasks.deliver`.

A round claims the due heads of the partner's streams — the first event of each case that is neither
delivered nor annulled, if it is due — marking them SENDING under a lease in one short transaction
(`FOR UPDATE SKIP LOCKED`: any number of workers share the work, none takes a stream another holds);
sends them at once over keep-alive connections, each signed; and records the answers in one more
transaction. A 2xx answer is the partner's acknowledgement; a refusal (4xx: a bad signature, an unknown
schema version) makes a dead letter at once, with the partner's words; anything else (down, 5xx, late)
is tried again after `BACKOFF · 2^(n−1)` seconds, and after `TORELIK_EXCHANGE_ATTEMPTS` tries it is a
dead letter too. A dead letter holds back its case's later events until staff retry or annul it. The
event id goes with every try, so a partner that got an event whose answer was lost acknowledges it again
without applying it twice.
"""

import asyncio
import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef

from torelik.core import clock
from torelik.core.asyncrun import run_coroutine
from torelik.exchange import partners, signing
from torelik.exchange.models import BLOCKING, DeliveryStatus, OutboundEvent
from torelik.exchange.schemas import SCHEMAS

LEASE = dt.timedelta(minutes=5)
ERROR_LENGTH = 2000


@dataclass
class Round:
    """What one call of `deliver_due` did."""

    delivered: int = 0
    retried: int = 0
    dead: int = 0
    next_due: dt.datetime | None = None
    more: bool = False

    def add(self, other: "Round") -> None:
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        self.more = other.more
        if other.next_due is not None and (self.next_due is None or other.next_due < self.next_due):
            self.next_due = other.next_due


@dataclass
class _Outgoing:
    pk: int
    body: bytes
    headers: dict[str, str]
    attempts: int
    status: int | None = None
    answer: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def backoff(attempt: int) -> dt.timedelta:
    base = float(settings.TORELIK_EXCHANGE_BACKOFF)
    return dt.timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), float(settings.TORELIK_EXCHANGE_MAX_BACKOFF)))


def due_heads(code: str, now: dt.datetime) -> Any:
    """The partner's events that may go now: due, and first in their stream among those not yet settled."""
    earlier = OutboundEvent.objects.filter(stream=OuterRef("stream"), pk__lt=OuterRef("pk"), status__in=BLOCKING)
    return (
        OutboundEvent.objects.filter(partner=code, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .exclude(Exists(earlier))
        .order_by("pk")
    )


def envelope(event: OutboundEvent) -> bytes:
    schema = SCHEMAS[(event.event_type, event.schema_version)]
    document = {
        "event_id": str(event.public_id),
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "schema": schema.path,
        "partner": event.partner,
        "occurred_at": event.occurred_at.isoformat(),
        "case_number": event.case.number if event.case is not None else None,
        "sequence": event.pk,
        "payload": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _claim(partner: partners.Partner, limit: int) -> list[_Outgoing]:
    now = clock.now()
    with transaction.atomic():
        events = list(
            due_heads(partner.code, now)
            .select_related("case", "court")
            .select_for_update(skip_locked=True, of=("self",))[:limit]
        )
        if not events:
            return []
        OutboundEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            status=DeliveryStatus.SENDING, lease_until=now + LEASE, last_attempt_at=now
        )
    outgoing = []
    fallback: tuple[str, str] | None = None  # the seal for events of no court, looked up once a round
    for event in events:
        if event.court is not None:
            court_code, court_name = event.court.code, event.court.name_ru
        else:
            fallback = fallback or _national_seal()
            court_code, court_name = fallback
        body, headers = signing.sign(partner, envelope(event), court_code=court_code, court_name=court_name)
        headers["X-Torelik-Event-Id"] = str(event.public_id)
        outgoing.append(_Outgoing(pk=event.pk, body=body, headers=headers, attempts=event.attempts + 1))
    return outgoing


def _national_seal() -> tuple[str, str]:
    """Whose seal signs an event of no court (a region's or the country's report): the top court's."""
    from torelik.courts.models import Court

    court = Court.objects.filter(parent__isnull=True).order_by("pk").first()
    return (court.code, court.name_ru) if court is not None else ("0000", "Torelik")


async def _send_all(partner: partners.Partner, outgoing: list[_Outgoing]) -> None:
    concurrency = int(settings.TORELIK_EXCHANGE_CONCURRENCY)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    # The partner's timeout is for its answer; waiting for a free connection of our own is not its fault.
    timeout = httpx.Timeout(partner.timeout, pool=None)
    # At most `concurrency` requests wait in the pool: httpcore's pool slows down with many queued requests.
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        await asyncio.gather(*(_send(client, gate, partner, item) for item in outgoing))


async def _send(client: httpx.AsyncClient, gate: asyncio.Semaphore, partner: partners.Partner, item: _Outgoing) -> None:
    async with gate:
        await _post(client, partner, item)


async def _post(client: httpx.AsyncClient, partner: partners.Partner, item: _Outgoing) -> None:
    try:
        response = await client.post(partner.url, content=item.body, headers=item.headers)
    except httpx.TimeoutException:
        item.error = f"no answer within {partner.timeout:g} s"
        return
    except httpx.HTTPError as error:
        item.error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        return
    item.status = response.status_code
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    item.answer = answer if isinstance(answer, dict) else {}
    if not response.is_success:
        code = str(item.answer.get("code", "")) or f"HTTP {response.status_code}"
        message = str(item.answer.get("message", "")) or response.text[:200]
        item.error = f"{code}: {message}"[:ERROR_LENGTH]


def _refused(status: int | None) -> bool:
    """A refusal that trying again cannot change (the partner says the event itself is wrong)."""
    return status is not None and 400 <= status < 500 and status not in (408, 409, 425, 429)


def _record(outgoing: list[_Outgoing]) -> Round:
    now = clock.now()
    limit = int(settings.TORELIK_EXCHANGE_ATTEMPTS)
    result = Round()
    delivered, failed = [], []
    for item in outgoing:
        if item.status is not None and 200 <= item.status < 300:
            delivered.append(item)
        else:
            failed.append(item)
    with transaction.atomic():
        rows = {e.pk: e for e in OutboundEvent.objects.filter(pk__in=[i.pk for i in outgoing])}
        changed = []
        for item in delivered:
            event = rows[item.pk]
            event.status, event.delivered_at, event.attempts = DeliveryStatus.DELIVERED, now, item.attempts
            event.receipt = str(item.answer.get("receipt", ""))[:100]
            event.last_status_code, event.last_error, event.lease_until = item.status, "", None
            changed.append(event)
        for item in failed:
            event = rows[item.pk]
            event.attempts, event.last_status_code, event.lease_until = item.attempts, item.status, None
            event.last_error = item.error or "no answer"
            if _refused(item.status) or item.attempts >= limit:
                event.status = DeliveryStatus.DEAD
                result.dead += 1
            else:
                event.status, event.next_attempt_at = DeliveryStatus.PENDING, now + backoff(item.attempts)
                result.retried += 1
                if result.next_due is None or event.next_attempt_at < result.next_due:
                    result.next_due = event.next_attempt_at
            changed.append(event)
        OutboundEvent.objects.bulk_update(
            changed,
            [
                "status",
                "delivered_at",
                "attempts",
                "receipt",
                "last_status_code",
                "last_error",
                "lease_until",
                "next_attempt_at",
            ],
            batch_size=500,
        )
    result.delivered = len(delivered)
    return result


def deliver_due(code: str, *, budget: float = 2.0, batch: int = 200) -> Round:
    """Deliver the partner's due events for about `budget` seconds (ADR 0042's slices: one partner down
    never holds a worker for long). `more` says whether due events are left."""
    total = Round()
    partner = partners.partner(code)
    if partner is None:
        return total
    started = time.monotonic()
    while True:
        outgoing = _claim(partner, batch)
        if not outgoing:
            total.more = False
            return total
        run_coroutine(_send_all(partner, outgoing))
        total.add(_record(outgoing))
        if time.monotonic() - started >= budget:
            total.more = due_heads(code, clock.now()).exists()
            return total


def release_expired_leases() -> int:
    """Events left SENDING by a worker that died: due again (the try counts: the partner may have it)."""
    now = clock.now()
    return OutboundEvent.objects.filter(status=DeliveryStatus.SENDING, lease_until__lt=now).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now, lease_until=None, attempts=F("attempts") + 1
    )


def partners_with_due_events() -> list[str]:
    now = clock.now()
    return sorted(
        set(
            OutboundEvent.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .values_list("partner", flat=True)
            .distinct()
        )
    )
