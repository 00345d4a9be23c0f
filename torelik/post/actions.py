"""Every write of the post context: barcodes cut from the country's series for a court, letters
prepared (priced, barcoded), registered letters handed to the post office with their register,
hybrid letters assembled into signed batches and handed to the operator, tracking reports recorded
into each letter's one history, and a final status turned into the case's postal record of service.

The invariant kept here: a barcode is put on one letter only, in the whole country. Serials come from
`BarcodeSeries` (one row per service, locked while a range is cut) into a court's `BarcodeRange`
(locked while serials are taken), and `Letter.barcode` is unique besides."""

import datetime as dt
import hashlib
import hmac
import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

from torelik.archive.actions import store_file
from torelik.cases.actions import record_case_event
from torelik.cases.models import Case, CaseEventKind, Party
from torelik.core import clock
from torelik.core.i18n import localized
from torelik.courts.models import Court
from torelik.identity.models import User
from torelik.post import addresses, manifests, printing, queries, rates, s10, tracking
from torelik.post.errors import OperatorError, PostError, PostErrorCode, WebhookSignatureError
from torelik.post.models import (
    FINAL_STATUSES,
    BarcodeRange,
    BarcodeSeries,
    Batch,
    BatchStatus,
    EventSource,
    Letter,
    LetterEvent,
    LetterKind,
    LetterStatus,
    UnmatchedReport,
)

SERVICE = "RR"  # registered letters; S10 service indicators beginning with R
MAX_SERIAL = 99_999_999
LINES_PER_SHEET = 50
FINAL_EVENT_KINDS = {
    LetterStatus.DELIVERED: CaseEventKind.LETTER_DELIVERED,
    LetterStatus.REFUSED: CaseEventKind.LETTER_REFUSED,
    LetterStatus.RETURNED: CaseEventKind.LETTER_RETURNED,
    LetterStatus.UNDELIVERABLE: CaseEventKind.LETTER_UNDELIVERABLE,
}


# --- Barcodes ---------------------------------------------------------------------------------------


def _cut_range(court_id: int, service: str, size: int) -> BarcodeRange:
    """A new range for the court from the country's series (locked: two courts never share a serial)."""
    BarcodeSeries.objects.get_or_create(service=service)
    series = BarcodeSeries.objects.select_for_update().get(service=service)
    first = series.next_serial
    last = min(first + size - 1, MAX_SERIAL)
    if first > MAX_SERIAL:
        raise PostError(
            PostErrorCode.SERIES_USED_UP, _("The series %(service)s is used up."), params={"service": service}
        )
    series.next_serial = last + 1
    series.save(update_fields=["next_serial"])
    return BarcodeRange.objects.create(
        court_id=court_id, service=service, first=first, last=last, next=first, allocated_at=clock.now()
    )


@transaction.atomic
def allocate_barcodes(*, court_id: int, count: int, service: str = SERVICE) -> list[str]:
    """`count` new barcodes of the court, each with its S10 check digit, never issued before anywhere."""
    serials: list[int] = []
    ranges = BarcodeRange.objects.select_for_update().filter(court_id=court_id, service=service, next__lte=F("last"))
    for row in ranges.order_by("first"):
        take = min(count - len(serials), row.last - row.next + 1)
        serials.extend(range(row.next, row.next + take))
        row.next += take
        row.save(update_fields=["next"])
        if len(serials) == count:
            break
    while len(serials) < count:
        row = _cut_range(court_id, service, max(settings.TORELIK_POST_RANGE_SIZE, count - len(serials)))
        take = min(count - len(serials), row.last - row.next + 1)
        serials.extend(range(row.next, row.next + take))
        row.next += take
        row.save(update_fields=["next"])
    return [s10.compose(service, serial) for serial in serials]


# --- Letters ----------------------------------------------------------------------------------------


def _sheets(enclosures: Sequence[dict[str, Any]]) -> int:
    lines = sum(2 + sum(max(1, math.ceil(len(str(t)) / 95)) for t in e.get("text", []) or []) for e in enclosures)
    return max(1, math.ceil((lines + 20) / LINES_PER_SHEET))


def _event(letter: Letter, status: str, *, key: str, source: str = EventSource.COURT, reason: str = "") -> LetterEvent:
    now = clock.now()
    return LetterEvent(
        letter=letter, external_id=key, status=status, at=now, source=source, reason=reason, recorded_at=now
    )


@transaction.atomic
def prepare_letter(
    *,
    court: Court,
    kind: str,
    recipient_name: str,
    address_text: str,
    enclosures: Sequence[dict[str, Any]],
    case: Case | None = None,
    party: Party | None = None,
    language: str = "kk",
    cause: str | None = None,
    actor: User | None = None,
) -> Letter:
    """A letter to send: priced by the rate in force, barcoded when its address has a postal index
    (without one it waits in the office's worklist, nothing lost). Idempotent by `cause`."""
    if cause is not None and (existing := Letter.objects.filter(cause=cause).first()) is not None:
        return existing
    if kind not in LetterKind.values:
        raise PostError(PostErrorCode.MALFORMED, _("Choose a registered or a hybrid letter."))
    if not recipient_name.strip():
        raise PostError(
            PostErrorCode.NO_RECIPIENT,
            _("A letter needs its recipient's name."),
            fields={"recipient_name": [str(_("A letter needs its recipient's name."))]},
        )
    address = addresses.parse(address_text)
    sheets = _sheets(enclosures)
    weight = rates.weight_class(sheets)
    today = clock.today()
    rate = rates.rate_for(kind, weight, today)
    if rate is None:
        raise PostError(PostErrorCode.NO_RATE, _("There is no postal rate in force for this letter."))
    now = clock.now()
    letter = Letter(
        court=court,
        case=case,
        party=party,
        cause=cause,
        kind=kind,
        status=LetterStatus.PREPARED if address.postal_index else LetterStatus.ADDRESS_INCOMPLETE,
        status_at=now,
        recipient_name=recipient_name.strip()[:300],
        language=language,
        postal_index=address.postal_index,
        address=address.as_dict(),
        address_text=address_text[:300],
        enclosures=list(enclosures),
        sheets=sheets,
        weight_class=weight,
        cost=rate.amount,
        rate_date=rate.effective_from,
    )
    if address.postal_index:
        letter.barcode = allocate_barcodes(court_id=court.pk, count=1)[0]
    letter.save(force_insert=True)
    _event(letter, letter.status, key="prepared").save()
    if case is not None:
        record_case_event(case=case, kind=CaseEventKind.LETTER_SENT, actor=actor, data=_journal(letter))
    return letter


def _journal(letter: Letter, **more: Any) -> dict[str, Any]:
    return {
        "letter": str(letter.public_id),
        "barcode": letter.barcode or "",
        "kind": letter.kind,
        "recipient": letter.recipient_name,
        "party": str(letter.party.public_id) if letter.party is not None else "",
        "enclosures": [{"kind": e.get("kind", ""), "reference": e.get("reference", "")} for e in letter.enclosures],
        **more,
    }


@transaction.atomic
def complete_address(*, letter: Letter, address_text: str, actor: User | None) -> Letter:
    """The office gives a letter waiting for its postal index the full address: it gets its barcode."""
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    address = addresses.parse(address_text)
    if not address.postal_index:
        message = _("The address has no postal index (six digits, e.g. 050000).")
        raise PostError(PostErrorCode.NO_POSTAL_INDEX, message, fields={"address": [str(message)]})
    if letter.status not in (LetterStatus.ADDRESS_INCOMPLETE, LetterStatus.REJECTED) or letter.withdrawn_at:
        raise PostError(PostErrorCode.MALFORMED, _("This letter is already on its way."))
    letter.postal_index, letter.address, letter.address_text = address.postal_index, address.as_dict(), address_text
    if letter.status == LetterStatus.REJECTED or not letter.barcode:
        letter.barcode = allocate_barcodes(court_id=letter.court_id, count=1)[0]
    letter.status, letter.status_at, letter.batch, letter.reason = LetterStatus.PREPARED, clock.now(), None, ""
    letter.save()
    _event(letter, LetterStatus.PREPARED, key=f"readdressed-{letter.barcode}").save()
    return letter


NOT_HANDED_OVER = frozenset({LetterStatus.ADDRESS_INCOMPLETE, LetterStatus.PREPARED, LetterStatus.REJECTED})


@transaction.atomic
def withdraw_letter(*, cause: str, reason: str, actor: User | None = None) -> Letter | None:
    """What the letter carries was revoked: not yet handed over, it is CANCELLED (it never goes out);
    already with the post (in a batch sent or accepted), it keeps its way and is marked withdrawn, for
    the office and the case page to see. Runs in the transaction of the revocation; idempotent."""
    letter = Letter.objects.select_for_update().filter(cause=cause).first()
    if letter is None or letter.withdrawn_at is not None:
        return letter
    now = clock.now()
    letter.withdrawn_at, letter.withdrawn_reason = now, reason[:200]
    cancelled = letter.status in NOT_HANDED_OVER
    if cancelled:
        letter.status, letter.status_at, letter.next_poll_at = LetterStatus.CANCELLED, now, None
    letter.save(update_fields=["withdrawn_at", "withdrawn_reason", "status", "status_at", "next_poll_at", "updated_at"])
    _event(letter, letter.status, key="withdrawn", reason=reason[:200]).save()
    if letter.case_id is not None:
        record_case_event(
            case=Case(pk=letter.case_id),
            kind=CaseEventKind.LETTER_WITHDRAWN,
            actor=actor,
            data=_journal(letter, cancelled=cancelled, status=letter.status, reason=reason[:200]),
        )
    return letter


# --- Registered letters: the envelope and the day's register ----------------------------------------


def sender_of(court: Court) -> printing.Sender:
    return printing.Sender(name=localized(court, "name"), address=localized(court, "address"))


def printed(letter: Letter) -> printing.Printed:
    lines = addresses.Address(**letter.address).lines() if letter.address else [letter.address_text]
    return printing.Printed(
        barcode=letter.barcode or "", recipient=letter.recipient_name, address_lines=lines, enclosures=letter.enclosures
    )


@transaction.atomic
def hand_over(*, court: Court, day: dt.date, actor: User | None) -> list[Letter]:
    """The court's prepared registered letters go to the post office today, listed in the day's register."""
    letters = list(
        Letter.objects.select_for_update()
        .filter(court=court, kind=LetterKind.REGISTERED, status=LetterStatus.PREPARED)
        .order_by("id")
    )
    now = clock.now()
    for letter in letters:
        letter.status, letter.status_at, letter.handed_over_on = LetterStatus.ACCEPTED, now, day
        letter.accepted_at, letter.next_poll_at = now, now + dt.timedelta(minutes=settings.TORELIK_POST_POLL_MINUTES)
    Letter.objects.bulk_update(letters, ["status", "status_at", "handed_over_on", "accepted_at", "next_poll_at"])
    LetterEvent.objects.bulk_create(_event(x, LetterStatus.ACCEPTED, key="handed-over") for x in letters)
    if not settings.TORELIK_POST_OPERATOR_URL:
        from torelik.post.operator_api import simulator  # the simulated post office scans them at its counter

        for letter in letters:
            simulator().register(letter.barcode or "", letter.postal_index, now)
    return letters


def register_rows(letters: Sequence[Letter]) -> list[printing.RegisterRow]:
    return [
        printing.RegisterRow(
            barcode=x.barcode or "",
            recipient=x.recipient_name,
            address=addresses.Address(**x.address).one_line() if x.address else x.address_text,
            weight_class=str(rates.WEIGHT_LABELS.get(x.weight_class, "")),
            cost=x.cost,
        )
        for x in letters
    ]


# --- Hybrid letters: batches ------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    manifest: dict[str, Any]
    signature: str
    content: bytes


def build_package(*, court: Court, number: str, letters: Sequence[Letter]) -> Package:
    """A ZIP of one A4 PDF per letter and the signed manifest that lists them with their digests."""
    sender = sender_of(court)
    items = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as package:
        for letter in letters:
            pdf = printing.hybrid_letter(printed(letter), sender)
            name = f"{letter.barcode}.pdf"
            package.writestr(name, pdf)
            items.append(
                {
                    "barcode": letter.barcode,
                    "file": name,
                    "sha256": hashlib.sha256(pdf).hexdigest(),
                    "recipient": letter.recipient_name,
                    "postal_index": letter.postal_index,
                    "sheets": letter.sheets,
                    "weight_class": letter.weight_class,
                }
            )
    content = out.getvalue()
    manifest = {
        "batch": number,
        "court": court.code,
        "created_at": clock.now().isoformat(),
        "package_sha256": hashlib.sha256(content).hexdigest(),
        "items": items,
    }
    return Package(manifest=manifest, signature=manifests.sign(manifest), content=content)


@transaction.atomic
def assemble_batch(*, court: Court, limit: int | None = None) -> Batch | None:
    """The court's prepared hybrid letters (up to a batch's size) as one batch, handed to the workers."""
    from torelik.post.tasks import deliver_batch  # tasks call actions: imported here, not at the top

    letters = list(
        Letter.objects.select_for_update(skip_locked=True)
        .filter(court=court, kind=LetterKind.HYBRID, status=LetterStatus.PREPARED)
        .order_by("id")[: limit or settings.TORELIK_POST_BATCH_SIZE]
    )
    if not letters:
        return None
    sequence = Batch.objects.filter(court=court, created_at__date=clock.today()).count() + 1
    number = f"{court.code}-{clock.today():%Y%m%d}-{sequence:03d}-{letters[0].pk}"
    package = build_package(court=court, number=number, letters=letters)
    stored = store_file(
        content=io.BytesIO(package.content),
        filename=f"{number}.zip",
        max_size=4 * 1024**3,
        allowed_media_types=frozenset({"application/zip"}),
    )
    batch = Batch.objects.create(
        court=court,
        number=number,
        size=len(letters),
        package_sha256=stored.sha256,
        manifest=package.manifest,
        signature=package.signature,
    )
    now = clock.now()
    for letter in letters:
        letter.batch, letter.status, letter.status_at = batch, LetterStatus.BATCHED, now
    Letter.objects.bulk_update(letters, ["batch", "status", "status_at"], batch_size=2000)
    LetterEvent.objects.bulk_create(
        (_event(x, LetterStatus.BATCHED, key=f"batch-{batch.number}") for x in letters), batch_size=2000
    )
    deliver_batch.enqueue(batch_id=batch.pk)
    return batch


def deliver(*, batch: Batch) -> Batch:
    """Hand the batch to the operator and record each item's acknowledgement. A failure is written on the
    batch (the office sees it) and raised, for the worker to try again later."""
    from torelik.archive.models import StoredFile
    from torelik.archive.queries import open_stored_file
    from torelik.post.operator_api import Ack, operator

    if batch.status == BatchStatus.DELIVERED:
        return batch
    with open_stored_file(StoredFile.objects.get(sha256=batch.package_sha256)) as stream:
        content = stream.read()
    try:
        if settings.TORELIK_POST_OPERATOR_TRANSPORT == "sftp":
            from torelik.post import sftp

            items = sftp.deliver_batch(sftp.SftpTarget.from_settings(), batch.manifest, batch.signature, content)
            if items is None:
                raise OperatorError("handed over by SFTP; the operator has not acknowledged it yet")
            acks = [Ack.model_validate(x) for x in items]
        else:
            acks = operator().deliver_batch(batch.manifest, batch.signature, content)
    except OperatorError as error:
        Batch.objects.filter(pk=batch.pk).update(attempts=F("attempts") + 1, last_error=str(error)[:300])
        raise
    return _acknowledge(batch, {a.barcode: (a.status, a.reason) for a in acks})


@transaction.atomic
def _acknowledge(batch: Batch, acks: dict[str, tuple[str, str]]) -> Batch:
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    letters = list(Letter.objects.filter(batch=batch, status=LetterStatus.BATCHED))
    now = clock.now()
    poll = now + dt.timedelta(minutes=settings.TORELIK_POST_POLL_MINUTES)
    events = []
    for letter in letters:
        status, reason = acks.get(letter.barcode or "", ("rejected", "not_acknowledged"))
        if status == "accepted":
            letter.status, letter.accepted_at, letter.next_poll_at = LetterStatus.ACCEPTED, now, poll
        else:
            letter.status, letter.reason = LetterStatus.REJECTED, reason or "not_acknowledged"
        letter.status_at = now
        events.append(
            _event(letter, letter.status, key=f"ack-{batch.number}", source=EventSource.OPERATOR, reason=letter.reason)
        )
    Letter.objects.bulk_update(
        letters, ["status", "accepted_at", "next_poll_at", "reason", "status_at"], batch_size=2000
    )
    LetterEvent.objects.bulk_create(events, batch_size=2000, ignore_conflicts=True)
    batch.status, batch.delivered_at, batch.last_error = BatchStatus.DELIVERED, now, ""
    batch.attempts += 1
    batch.accepted = sum(1 for x in letters if x.status == LetterStatus.ACCEPTED)
    batch.rejected = len(letters) - batch.accepted
    batch.save()
    return batch


def give_up(*, batch_id: int, error: str) -> None:
    """The last try failed: the batch is FAILED, its letters wait to be sent again in the next batch."""
    with transaction.atomic():
        Batch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, last_error=error[:300])
        # A letter withdrawn while it was in the batch never left: it is cancelled, not sent again.
        Letter.objects.filter(batch_id=batch_id, status=LetterStatus.BATCHED, withdrawn_at__isnull=False).update(
            status=LetterStatus.CANCELLED, batch=None, status_at=clock.now()
        )
        Letter.objects.filter(batch_id=batch_id, status=LetterStatus.BATCHED).update(
            status=LetterStatus.PREPARED, batch=None, status_at=clock.now()
        )


# --- Tracking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One tracking event as the operator reports it."""

    barcode: str
    event_id: str
    code: str
    at: dt.datetime
    reason: str = ""
    place: str = ""


@dataclass(frozen=True)
class Ingested:
    recorded: int
    repeated: int
    unknown: int
    final: int


@transaction.atomic
def record_reports(reports: Sequence[Report], *, source: str) -> Ingested:
    """Reports of the operator (a poll's answer or a webhook's body) into each letter's one history: a
    report seen before is not written twice, a letter never goes back a step, a report of an unknown
    barcode or code is kept for the office, and a final status becomes the case's record of service."""
    now = clock.now()
    barcodes = {r.barcode for r in reports}
    letters = {x.barcode: x for x in Letter.objects.filter(barcode__in=barcodes).select_related("party")}
    seen = set(
        LetterEvent.objects.filter(
            letter__in=letters.values(), external_id__in={r.event_id for r in reports}
        ).values_list("letter_id", "external_id")
    )
    new_events: list[LetterEvent] = []
    unknown: list[UnmatchedReport] = []
    changed: dict[int, Letter] = {}
    finals: list[Letter] = []
    repeated = 0
    for report in sorted(reports, key=lambda r: r.at):
        letter = letters.get(report.barcode)
        status = tracking.CODES.get(report.code)
        if letter is None or status is None:
            unknown.append(
                UnmatchedReport(
                    barcode=report.barcode[:20],
                    code=report.code[:40],
                    event_id=report.event_id[:80],
                    at=report.at,
                    source=source,
                    received_at=now,
                    problem="unknown_barcode" if letter is None else "unknown_code",
                )
            )
            continue
        if (letter.pk, report.event_id) in seen:
            repeated += 1
            continue
        seen.add((letter.pk, report.event_id))
        new_events.append(
            LetterEvent(
                letter=letter,
                external_id=report.event_id,
                status=status,
                code=report.code,
                reason=report.reason[:200],
                place=report.place[:200],
                at=report.at,
                source=source,
                recorded_at=now,
            )
        )
        if letter.is_final or tracking.RANK[status] < tracking.RANK[LetterStatus(letter.status)]:
            continue
        letter.status, letter.status_at = status, report.at
        if status == LetterStatus.ACCEPTED and letter.accepted_at is None:
            letter.accepted_at = report.at
        if report.reason:
            letter.reason = report.reason[:200]
        if status in FINAL_STATUSES:
            letter.final_at, letter.next_poll_at = report.at, None
            finals.append(letter)
        changed[letter.pk] = letter
    LetterEvent.objects.bulk_create(new_events, batch_size=2000, ignore_conflicts=True)
    UnmatchedReport.objects.bulk_create(unknown, batch_size=2000)
    queries.set_letter_states(list(changed.values()))
    for letter in finals:
        if letter.case_id is not None:
            served_on = timezone.localtime(letter.final_at).date() if letter.final_at else clock.today()
            record_case_event(
                case=Case(pk=letter.case_id),
                kind=FINAL_EVENT_KINDS[LetterStatus(letter.status)],
                actor=None,
                data=_journal(
                    letter,
                    status=letter.status,
                    date=served_on.isoformat(),
                    at=letter.final_at.isoformat() if letter.final_at else "",
                    reason=letter.reason,
                    place=next((e.place for e in reversed(new_events) if e.letter is letter), ""),
                ),
            )
    return Ingested(recorded=len(new_events), repeated=repeated, unknown=len(unknown), final=len(finals))


def poll_letter(*, letter: Letter) -> Ingested | None:
    """Ask the tracking service about one letter; on failure, the next try waits twice as long."""
    from torelik.post.operator_api import operator

    now = clock.now()
    try:
        events = operator().events(letter.barcode or "")
    except OperatorError as error:
        failures = letter.poll_failures + 1
        wait = min(settings.TORELIK_POST_POLL_MINUTES * 2**failures, settings.TORELIK_POST_POLL_MAX_MINUTES)
        Letter.objects.filter(pk=letter.pk).update(
            poll_failures=failures, last_error=str(error)[:300], next_poll_at=now + dt.timedelta(minutes=wait)
        )
        return None
    reports = [
        Report(barcode=letter.barcode or "", event_id=e.id, code=e.code, at=e.at, reason=e.reason, place=e.place)
        for e in events or []
    ]
    with transaction.atomic():
        result = record_reports(reports, source=EventSource.POLL)
        Letter.objects.filter(pk=letter.pk, next_poll_at__isnull=False).update(
            poll_failures=0,
            last_error="",
            next_poll_at=now + dt.timedelta(minutes=settings.TORELIK_POST_POLL_MINUTES),
        )
    return result


def poll_due(*, limit: int = 500) -> int:
    """Poll the letters on their way whose next poll is due; returns how many were asked about."""
    due = list(
        Letter.objects.filter(next_poll_at__lte=clock.now())
        .exclude(status__in=FINAL_STATUSES)
        .order_by("next_poll_at")[:limit]
    )
    for letter in due:
        poll_letter(letter=letter)
    return len(due)


# --- The operator's webhook -------------------------------------------------------------------------

WEBHOOK_TOLERANCE = 300  # seconds between the operator's timestamp and ours


class WebhookEvent(BaseModel):
    """One tracking event as the operator's notices carry it (its webhook, or the exchange's topic
    `post/statuses`, whose schema narrows this one)."""

    barcode: str
    id: str
    code: str
    at: dt.datetime
    reason: str = ""
    place: str = ""


class WebhookBody(BaseModel):
    events: list[WebhookEvent]


def receive_webhook(*, body: bytes, signature: str) -> Ingested:
    """A signed notice of the operator (`t=<unix time>,v1=<HMAC-SHA256 of "t." + body>`): refused unless
    the signature is right and recent; then its events are recorded like a poll's."""
    parts = dict(p.split("=", 1) for p in signature.split(",") if "=" in p)
    try:
        stamp = int(parts.get("t", ""))
    except ValueError:
        stamp = 0
    expected = hmac.new(
        settings.TORELIK_POST_WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    fresh = abs(clock.now().timestamp() - stamp) <= WEBHOOK_TOLERANCE
    if not (fresh and hmac.compare_digest(expected, parts.get("v1", ""))):
        raise WebhookSignatureError(PostErrorCode.BAD_SIGNATURE, _("The notice's signature is not valid."))
    try:
        parsed = WebhookBody.model_validate_json(body)
    except ValidationError as error:
        raise PostError(PostErrorCode.MALFORMED, _("The notice could not be read.")) from error
    return record_notices(parsed.events)


def record_notices(events: Sequence[WebhookEvent]) -> Ingested:
    """The operator's tracking events, whichever door they came in by (its webhook, or the exchange's
    topic `post/statuses`), recorded like a poll's."""
    reports = [
        Report(barcode=s10.normalise(e.barcode), event_id=e.id, code=e.code, at=e.at, reason=e.reason, place=e.place)
        for e in events
    ]
    return record_reports(reports, source=EventSource.WEBHOOK)
