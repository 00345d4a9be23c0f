"""Reads of the filing context: a filer's filings and cases, the court suggested for a claim, the
statistics of filings by channel and kind."""

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from torelik.cases.models import Case, Channel, Party
from torelik.core import clock
from torelik.core.i18n import active_language
from torelik.core.numbers import percent
from torelik.core.rows import column, table
from torelik.courts.models import CaseCategory, Court, CourtKind, Judge, ProceedingType, Specialisation
from torelik.filing.models import (
    Attachment,
    AttachmentRole,
    Filing,
    FilingEvent,
    FilingStatus,
    Payment,
    PaymentStatus,
    PhoneConfirmation,
)
from torelik.identity.models import Person, User


def filings_with_registry() -> QuerySet[Filing]:
    """Filings with the court and the category their manifest names, read along (a join of these two
    costs less than reading them apart; the wider joins of the case and its judge cost more)."""
    return Filing.objects.select_related("court", "category")


def trail(filing: Filing) -> list[FilingEvent]:
    """The filing's status trail in order (FilingEvent's ordering), or the steps `hold_trail` gave it."""
    if filing.held_trail is not None:
        return filing.held_trail
    return list(filing.trail.all())


def forget_trail(filing: Filing) -> None:
    """`trail(filing)` reads the trail again (what `hold_trail` gave it is older than a change)."""
    filing.held_trail = None


def hold_trail(filing: Filing, steps: list[FilingEvent]) -> None:
    """Let `trail(filing)` answer `steps` (its whole trail in order, just read or written) without
    reading it again."""
    filing.held_trail = steps


# The steps of a case that its filings follow (judge assigned, accepted...), from these on.
FOLLOWING_STATUSES = (
    FilingStatus.REGISTERED,
    FilingStatus.ASSIGNED,
    FilingStatus.ACCEPTED,
    FilingStatus.LEFT_WITHOUT_MOTION,
)


@functools.cache
def following_sql() -> str:
    """The filings that follow a case, with the name of the case's judge read along (ADR 0032)."""
    filing, case, judge, person = (functools.partial(column, model) for model in (Filing, Case, Judge, Person))
    marks = ", ".join(["%s"] * len(FOLLOWING_STATUSES))
    return (
        f"SELECT f.{filing('id')}, p.{person('surname')}, p.{person('given_name')}, p.{person('patronymic')}"  # noqa: S608
        f" FROM {table(Filing)} f JOIN {table(Case)} c ON c.{case('id')} = f.{filing('case')}"
        f" LEFT JOIN {table(Judge)} j ON j.{judge('id')} = c.{case('judge')}"
        f" LEFT JOIN {table(Person)} p ON p.{person('id')} = j.{judge('person')}"
        f" WHERE f.{filing('case')} = %s AND f.{filing('status')} IN ({marks})"
    )


def filings_following(case_id: int) -> list[tuple[int, str]]:
    """(filing id, the full name of the case's judge or "") of the filings that follow the case: plain
    SQL, as this runs in the transaction of every assignment of every case (paper ones included)."""
    with connection.cursor() as cursor:
        cursor.execute(following_sql(), [case_id, *(str(status) for status in FOLLOWING_STATUSES)])
        rows = cursor.fetchall()
    return [
        (pk, Person(surname=surname or "", given_name=given or "", patronymic=patronymic or "").full_name)
        for pk, surname, given, patronymic in rows  # no judge: all three NULL, the name ""
    ]


def cases_of_party(user: User | None) -> QuerySet[Case]:
    """The cases in which the user's person is a party, a lawyer or a representative."""
    if user is None or not user.is_authenticated or user.person_id is None:
        return Case.objects.none()
    return (
        Case.objects.filter(pk__in=Party.objects.filter(person_id=user.person_id).values("case_id"))
        .select_related("court", "category", "judge__person")
        .order_by("-registered_at")
    )


def suggest_court(category: CaseCategory | None, region_code: str) -> Court | None:
    """A court of first instance for a category in the defendant's region: the specialised
    inter-district court of the category's specialisation where there is one, else a district court."""
    courts = Court.objects.filter(is_active=True, region__code=region_code) if region_code else Court.objects.none()
    if category is not None and category.specialisation not in ("", Specialisation.CIVIL, Specialisation.CRIMINAL):
        specialised = courts.filter(kind=CourtKind.SPECIALISED, specialisation=category.specialisation).first()
        if specialised is not None:
            return specialised
    return courts.filter(kind=CourtKind.DISTRICT).order_by("code").first()


# What a new case filed in the Judicial Office may be (ГПК РК and АППК РК proceedings).
FILING_PROCEEDINGS = (ProceedingType.CIVIL, ProceedingType.ADMINISTRATIVE)


@dataclass(frozen=True)
class CourtChoice:
    code: str
    name: str
    region_code: str
    region_name: str


def courts_to_file_in() -> list[CourtChoice]:
    """Courts of first instance a new case is filed in (district and specialised) with their regions,
    named in the page's language, by region and then by name (plain rows: the registry has hundreds)."""
    language = active_language()
    order = [language, *(code for code in ("ru", "kk", "en") if code != language)]
    rows = Court.objects.filter(is_active=True, kind__in=(CourtKind.DISTRICT, CourtKind.SPECIALISED)).values(
        "code", *(f"name_{c}" for c in order), "region__code", *(f"region__name_{c}" for c in order)
    )

    def first(row: dict[str, Any], prefix: str) -> str:
        return next((str(row[f"{prefix}_{c}"]) for c in order if row[f"{prefix}_{c}"]), "")

    listed = [
        CourtChoice(
            code=row["code"],
            name=first(row, "name"),
            region_code=row["region__code"] or "",
            region_name=first(row, "region__name") if row["region__code"] else "",
        )
        for row in rows
    ]
    return sorted(listed, key=lambda c: (c.region_code or "99", c.name.casefold()))


def categories_to_file_in() -> list[CaseCategory]:
    """Active case categories of the proceedings filed here, by proceeding type and then by name."""
    categories = CaseCategory.objects.filter(is_active=True, proceeding_type__in=FILING_PROCEEDINGS).only(
        "code", "name_kk", "name_ru", "name_en", "proceeding_type"
    )
    order: dict[str, int] = {value.value: index for index, value in enumerate(FILING_PROCEEDINGS)}
    return sorted(categories, key=lambda c: (order[c.proceeding_type], c.name.casefold()))


ELECTRONIC_CHANNELS = (Channel.JUDICIAL_OFFICE, Channel.EGOV, Channel.PSC)


@dataclass(frozen=True)
class Statistics:
    start: dt.date
    end: dt.date
    by_channel_and_kind: list[dict[str, object]]
    cases_by_channel: dict[str, int]
    claims_electronic: int
    claims_total: int
    electronic: int
    total: int

    @property
    def electronic_share(self) -> str:
        return percent(self.electronic / self.total if self.total else None)

    @property
    def claims_electronic_share(self) -> str:
        return percent(self.claims_electronic / self.claims_total if self.claims_total else None)


def statistics(start: dt.date, end: dt.date) -> Statistics:
    """Filings received in [start, end] (dates in the country's zone): e-filings by channel and
    kind, and every case registered (paper included) by channel, for the share filed electronically."""
    submitted = Filing.objects.exclude(status=FilingStatus.DRAFT).filter(
        submitted_at__date__gte=start, submitted_at__date__lte=end
    )
    rows = list(submitted.values("channel", "kind").annotate(count=Count("id")).order_by("channel", "kind"))
    cases = Case.objects.filter(registered_at__date__gte=start, registered_at__date__lte=end)
    by_channel = {row["channel"]: row["count"] for row in cases.values("channel").annotate(count=Count("id"))}
    # A filing into an existing case is not a case: it counts among the filings, paper ones are not known here.
    joined = submitted.filter(status=FilingStatus.JOINED).count()
    claims = cases.filter(instance="first")
    claims_counts = claims.aggregate(
        electronic=Count("id", filter=Q(channel__in=ELECTRONIC_CHANNELS)), total=Count("id")
    )
    electronic = sum(by_channel.get(c, 0) for c in ELECTRONIC_CHANNELS) + joined
    total = sum(by_channel.values()) + joined
    return Statistics(
        start=start,
        end=end,
        by_channel_and_kind=rows,
        cases_by_channel=by_channel,
        claims_electronic=claims_counts["electronic"],
        claims_total=claims_counts["total"],
        electronic=electronic,
        total=total,
    )


# The state fee


def paid_payment(filing: Filing) -> Payment | None:
    return filing.payments.filter(status=PaymentStatus.PAID).order_by("-paid_at").first()


def fee_settled(filing: Filing, attachments: Sequence[Attachment] | None = None) -> bool:
    """Paid, exempt, with a petition for exemption or deferral attached, or no fee at all
    (`attachments`: the filing's attachments when the caller holds them already)."""
    if not filing.fee_amount or filing.fee_exemption:
        return True
    if attachments is not None:
        if any(a.role == AttachmentRole.FEE_PETITION for a in attachments):
            return True
    elif filing.attachments.filter(role=AttachmentRole.FEE_PETITION).exists():
        return True
    payment = paid_payment(filing)
    return payment is not None and payment.amount >= filing.fee_amount


# A person's own phone

# How many wrong codes a confirmation of a phone number takes before a new code is needed.
PHONE_CODE_ATTEMPTS = 5


def pending_confirmation(user: User | None) -> PhoneConfirmation | None:
    """The code sent last and still usable, if any (the page then asks for it)."""
    if user is None or not user.is_authenticated or not user.person_id:
        return None
    return (
        PhoneConfirmation.objects.filter(
            person_id=user.person_id,
            confirmed_at__isnull=True,
            expires_at__gte=clock.now(),
            attempts__lt=PHONE_CODE_ATTEMPTS,
        )
        .order_by("-sent_at")
        .first()
    )
