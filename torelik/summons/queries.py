"""Reads of the summons context: a subpoena by number (verification), the documents an SMS login
opens, and the statistics of notices as the Supreme Court reports them (per court and period)."""

import datetime as dt
import hmac
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from torelik.cases.models import REPRESENTING_ROLES, Case, Document, Party
from torelik.core.numbers import percent
from torelik.courts.models import Court
from torelik.notifications.models import Message
from torelik.post.models import Letter
from torelik.summons import delivery
from torelik.summons.models import (
    DocumentAccess,
    DocumentOpening,
    NoticeChannel,
    NoticeChoice,
    Subpoena,
    SubpoenaStatus,
)

# A subpoena number is `CCCC-YY-S-NNNNNN`: anything else (a NUL byte, a long string) is no number
# and never reaches the database.
NUMBER_SHAPE = re.compile(r"[0-9A-Za-z-]{1,24}")


def subpoena_by_number(number: str) -> Subpoena | None:
    number = number.strip()
    if not NUMBER_SHAPE.fullmatch(number):
        return None
    return Subpoena.objects.select_related("court", "case", "hearing").filter(number=number).first()


def subpoena_to_verify(number: str, code: str) -> Subpoena | None:
    """The subpoena of this number whose verification code (printed in its QR) is `code`; None otherwise,
    the same for a number never issued and a wrong code, in the same time."""
    subpoena = subpoena_by_number(number)
    given = "".join(ch for ch in code if ch.isalnum()).lower()
    kept = subpoena.verify_code if subpoena is not None else "x" * 12
    if subpoena is None or not kept or not hmac.compare_digest(kept, given):
        return None
    return subpoena


def subpoena_by_public_id(public_id: str) -> Subpoena | None:
    return Subpoena.objects.select_related("court", "case", "person", "hearing").filter(public_id=public_id).first()


def access_by_public_id(public_id: str) -> DocumentAccess | None:
    return DocumentAccess.objects.select_related("case__court", "party", "court").filter(public_id=public_id).first()


def documents_for(access: DocumentAccess) -> QuerySet[Document]:
    """The case's documents, newest version of each, in the order they came."""
    return (
        Document.objects.filter(case=access.case, next_version__isnull=True)
        .select_related("document_type", "file")
        .order_by("received_at", "id")
    )


def document_for(access: DocumentAccess, document_id: str) -> Document | None:
    return documents_for(access).filter(public_id=document_id).first()


# --- Statistics ----------------------------------------------------------------------------------


@dataclass
class Figures:
    subpoenas_issued: int = 0
    subpoenas_viewed: int = 0
    subpoenas_revoked: int = 0
    participants_notified: int = 0
    document_logins: int = 0
    documents_studied: int = 0
    document_openings: int = 0
    messages_sent: int = 0
    sms_sent: int = 0
    messages_delivered: int = 0
    messages_failed: int = 0
    sms_segments: int = 0
    cost: Decimal = Decimal("0")

    @property
    def view_rate(self) -> float | None:
        return self.subpoenas_viewed / self.subpoenas_issued if self.subpoenas_issued else None

    @property
    def delivery_rate(self) -> float | None:
        # Only SMS have delivery reports: e-mails sent are not in the denominator.
        return self.messages_delivered / self.sms_sent if self.sms_sent else None

    @property
    def view_percent(self) -> str:
        return percent(self.view_rate)

    @property
    def delivery_percent(self) -> str:
        return percent(self.delivery_rate)


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    issued: int
    viewed: int


@dataclass
class Statistics:
    start: dt.date
    end: dt.date
    totals: Figures
    courts: list[tuple[Court, Figures]] = field(default_factory=list)
    days: list[DayCount] = field(default_factory=list)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def statistics(*, court_ids: Collection[int] | None, start: dt.date, end: dt.date) -> Statistics:
    """Figures of the days `start`..`end` (inclusive, in the country's time zone) for the courts
    `court_ids` (None: the whole country): totals, per court, and subpoenas per day for the chart."""
    since, until = _bounds(start, end)
    subpoenas = Subpoena.objects.filter(issued_at__gte=since, issued_at__lt=until)
    accesses = DocumentAccess.objects.filter(issued_at__gte=since, issued_at__lt=until)
    openings = DocumentOpening.objects.filter(at__gte=since, at__lt=until)
    if court_ids is not None:
        subpoenas = subpoenas.filter(court_id__in=court_ids)
        accesses = accesses.filter(court_id__in=court_ids)
        openings = openings.filter(access__court_id__in=court_ids)

    per_court: dict[int, Figures] = {}
    for row in subpoenas.values("court_id").annotate(
        issued=Count("id"),
        viewed=Count("id", filter=Q(first_viewed_at__isnull=False)),
        revoked=Count("id", filter=Q(status=SubpoenaStatus.REVOKED)),
        notified=Count("person_id", filter=~Q(message_id=""), distinct=True),
    ):
        figures = per_court.setdefault(row["court_id"], Figures())
        figures.subpoenas_issued = row["issued"]
        figures.subpoenas_viewed = row["viewed"]
        figures.subpoenas_revoked = row["revoked"]
        figures.participants_notified = row["notified"]
    for row in accesses.values("court_id").annotate(
        logins=Count("id"), studied=Count("id", filter=Q(first_used_at__isnull=False))
    ):
        figures = per_court.setdefault(row["court_id"], Figures())
        figures.document_logins = row["logins"]
        figures.documents_studied = row["studied"]
    for row in openings.filter(document__isnull=False).values("access__court_id").annotate(n=Count("id")):
        per_court.setdefault(row["access__court_id"], Figures()).document_openings = row["n"]
    for court_id, messages in delivery.message_figures(court_ids=court_ids, start=start, end=end).items():
        figures = per_court.setdefault(court_id, Figures())
        figures.messages_sent = messages.sent
        figures.sms_sent = messages.sms_sent
        figures.messages_delivered = messages.delivered
        figures.messages_failed = messages.failed
        figures.sms_segments = messages.segments
        figures.cost = messages.cost

    totals = Figures()
    for figures in per_court.values():
        for name in Figures.__dataclass_fields__:
            setattr(totals, name, getattr(totals, name) + getattr(figures, name))
    # A person summoned in two courts is one person notified.
    totals.participants_notified = subpoenas.exclude(message_id="").values("person_id").distinct().count()
    courts = {court.pk: court for court in Court.objects.filter(pk__in=per_court)}
    rows = sorted(((courts[pk], figures) for pk, figures in per_court.items() if pk in courts), key=lambda r: r[0].code)

    zone = ZoneInfo(settings.TIME_ZONE)
    by_day = {
        row["day"]: row
        for row in subpoenas.annotate(day=TruncDate("issued_at", tzinfo=zone))
        .values("day")
        .annotate(issued=Count("id"), viewed=Count("id", filter=Q(first_viewed_at__isnull=False)))
    }
    days = []
    day = start
    while day <= end:
        counts = by_day.get(day)
        days.append(
            DayCount(day=day, issued=counts["issued"] if counts else 0, viewed=counts["viewed"] if counts else 0)
        )
        day += dt.timedelta(days=1)
    return Statistics(start=start, end=end, totals=totals, courts=rows, days=days)


# --- A party's notices across channels (the case page, for staff) ----------------------------------


@dataclass(frozen=True)
class Notice:
    """One notice to a party as the office sees it: when, by which channel, what, and where it is."""

    at: dt.datetime
    channel: str  # words
    what: str
    status: str  # words
    state: str  # "ok", "waiting", "trouble", "withdrawn": how the page marks it
    detail: str = ""


@dataclass
class PartyNotices:
    party: Party
    chosen: str  # NoticeChannel value
    default: str  # what the rules choose for this party today (AUTO resolved)
    notices: list[Notice] = field(default_factory=list)


MESSAGE_STATE = {"delivered": "ok", "sent": "waiting", "queued": "waiting", "sending": "waiting"}
LETTER_OK = {"delivered"}
LETTER_WAITING = {"prepared", "batched", "accepted", "in_transit", "arrived"}


def _phone(raw: str) -> str:
    try:
        return delivery.normalise(raw) if raw else ""
    except delivery.InvalidPhoneError:
        return ""


def party_notices(case: Case) -> list[PartyNotices]:
    """Each party of the case (not its representatives) with the channel chosen for it and every notice
    it was sent: SMS and e-mail messages, subpoenas, letters with their status, newest first."""
    from torelik.summons.actions.subpoenas import channel_for

    parties = list(
        case.parties.exclude(role__in=REPRESENTING_ROLES).select_related("person", "organisation").order_by("id")
    )
    chosen = dict(NoticeChoice.objects.filter(case=case).values_list("party_id", "channel"))
    subpoenas = list(Subpoena.objects.filter(case=case).order_by("issued_at"))
    messages = list(Message.objects.filter(case=case).order_by("queued_at"))
    letters = list(Letter.objects.filter(case=case).order_by("created_at"))
    result = []
    for party in parties:
        phone, email = _phone(party.phone or (party.person.phone if party.person else "")), party.email
        own_subpoenas = [s for s in subpoenas if party.person_id is not None and s.person_id == party.person_id]
        causes = {f"subpoena:{s.number}" for s in own_subpoenas} | {
            f"subpoena-revoked:{s.number}" for s in own_subpoenas
        }
        pid = str(party.public_id)
        row = PartyNotices(
            party=party,
            chosen=chosen.get(party.pk, NoticeChannel.AUTO),
            default=channel_for(NoticeChannel.AUTO, phone=phone, email=email),
        )
        for message in messages:
            if not (
                message.cause in causes
                or pid in message.cause
                or (phone and message.recipient_phone == phone)
                or (email and message.recipient_email == email)
            ):
                continue
            row.notices.append(
                Notice(
                    at=message.queued_at,
                    channel=str(message.get_channel_display()),
                    what=str(message.get_template_display()),
                    status=str(message.get_status_display()),
                    state=MESSAGE_STATE.get(message.status, "trouble"),
                    detail=message.recipient,
                )
            )
        for subpoena in own_subpoenas:
            label = NoticeChannel(subpoena.channel).label if subpoena.channel in NoticeChannel.values else ""
            row.notices.append(
                Notice(
                    at=subpoena.issued_at,
                    channel=str(label or _("electronic subpoena")),
                    what=_("subpoena %(number)s") % {"number": subpoena.number},
                    status=str(subpoena.get_status_display()),
                    state={"viewed": "ok", "revoked": "withdrawn"}.get(subpoena.status, "waiting"),
                    detail=str(subpoena.facts.get("date", "")),
                )
            )
        for letter in letters:
            if letter.party_id != party.pk:
                continue
            what = ", ".join(str(e.get("title", "")) for e in letter.enclosures)
            status = str(letter.get_status_display())
            if letter.withdrawn_at is not None and letter.status != "cancelled":
                withdrawn = _("withdrawn after it was handed to the post")
                status = f"{status}; {withdrawn}"
            row.notices.append(
                Notice(
                    at=letter.created_at,
                    channel=str(letter.get_kind_display()),
                    what=what,
                    status=status,
                    state="withdrawn"
                    if letter.withdrawn_at is not None
                    else (
                        "ok"
                        if letter.status in LETTER_OK
                        else "waiting"
                        if letter.status in LETTER_WAITING
                        else "trouble"
                    ),
                    detail=letter.barcode or "",
                )
            )
        row.notices.sort(key=lambda n: n.at, reverse=True)
        result.append(row)
    return result
