"""Reads of building access: a visitor's hearings today in this building (from the hearings' participants
and their subpoenas), the court's bans in force, who is in the building, the day's log."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from torelik.access.models import Ban, Entrance, Visit, VisitKind, VisitStatus
from torelik.core import clock
from torelik.courts.models import Court
from torelik.hearings.models import ACTIVE_STATUSES, HearingParticipant
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import Person
from torelik.summons.models import Subpoena, SubpoenaStatus

OPEN_STATUSES = (VisitStatus.REGISTERED, VisitStatus.HELD, VisitStatus.INSIDE)


def local_day(court: Court, moment: dt.datetime | None = None) -> dt.date:
    """The court's local day at `moment` (now by default)."""
    return (moment or clock.now()).astimezone(court_zone(court)).date()


def day_bounds(court: Court, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=court_zone(court))
    return start, start + dt.timedelta(days=1)


@dataclass(frozen=True)
class Summoned:
    """A hearing today that brings the visitor: where and when, as what, and the subpoena that called them."""

    hearing_id: int
    hearing_public_id: str
    case_number: str
    courtroom: str
    floor: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    role: str
    role_name: str
    judge: str
    subpoena: str


def person_with_iin(iin: str) -> Person | None:
    return Person.objects.filter(iin=iin).first()


def hearings_today(*, court: Court, iin: str, day: dt.date) -> list[Summoned]:
    """The hearings of `day` in `court`'s building (scheduled or held, not postponed or cancelled) in
    which the person with `iin` takes part, each with its courtroom, time, role and subpoena."""
    start, end = day_bounds(court, day)
    zone = court_zone(court)
    # The subpoena that called each participant, in the same statement (one round trip fewer at the desk).
    subpoena = (
        Subpoena.objects.filter(participant=OuterRef("pk"))
        .exclude(status=SubpoenaStatus.REVOKED)
        .order_by("-issued_at")
        .values("number")[:1]
    )
    participants = list(
        HearingParticipant.objects.filter(
            person__iin=iin,
            hearing__courtroom__court=court,
            hearing__starts_at__gte=start,
            hearing__starts_at__lt=end,
            hearing__status__in=ACTIVE_STATUSES,
        )
        .select_related("hearing__courtroom", "hearing__case", "hearing__judge__person")
        .annotate(subpoena_number=Subquery(subpoena))
        .order_by("hearing__starts_at")
    )
    return [
        Summoned(
            hearing_id=p.hearing_id,
            hearing_public_id=str(p.hearing.public_id),
            case_number=p.hearing.case.number,
            courtroom=p.hearing.courtroom.number,
            floor=p.hearing.courtroom.floor,
            starts_at=p.hearing.starts_at.astimezone(zone),
            ends_at=p.hearing.ends_at.astimezone(zone),
            role=p.role,
            role_name=str(p.get_role_display()),
            judge=p.hearing.judge.person.short_name,
            subpoena=p.subpoena_number or "",
        )
        for p in participants
    ]


def bans_in_force(*, court: Court, day: dt.date) -> QuerySet[Ban]:
    return Ban.objects.filter(court=court, lifted_at__isnull=True, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def ban_on(*, court: Court, day: dt.date, iin: str = "", document_number: str = "", country: str = "") -> Ban | None:
    """The court's ban in force on `day` against the person with `iin` or with the foreign document."""
    if iin:
        rule = Q(iin=iin)
    elif document_number:
        rule = Q(document_number__iexact=document_number, document_country__iexact=country)
    else:
        return None
    return bans_in_force(court=court, day=day).filter(rule).order_by("-starts_on").first()


def open_visit(
    *, court: Court, day: dt.date, iin: str = "", document_number: str = "", country: str = ""
) -> Visit | None:
    """The visitor's visit of `day` not closed yet (pass issued, held or inside)."""
    rule = Q(iin=iin) if iin else Q(document_number__iexact=document_number, document_country__iexact=country)
    return (
        Visit.objects.filter(rule, court=court, day=day, kind=VisitKind.VISITOR, status__in=OPEN_STATUSES)
        .order_by("-registered_at")
        .first()
    )


def inside(court: Court) -> QuerySet[Visit]:
    """Who is in the building now: visitors and staff who came in and have not gone out."""
    return (
        Visit.objects.filter(court=court, status=VisitStatus.INSIDE)
        .select_related("entrance", "badge__user__person")
        .order_by("kind", "entered_at")
    )


def held(court: Court) -> QuerySet[Visit]:
    """Visitors on the ban list stopped at an entrance today, waiting for security's decision."""
    return Visit.objects.filter(court=court, status=VisitStatus.HELD, day=local_day(court)).select_related(
        "entrance", "ban"
    )


def day_log(
    *, court: Court, day: dt.date, kind: str = "", status: str = "", purpose: str = "", text: str = ""
) -> QuerySet[Visit]:
    """The visits of `day`, filtered by kind, status, purpose and a name, IIN or document number."""
    visits = Visit.objects.filter(court=court, day=day).select_related("entrance", "badge")
    if kind:
        visits = visits.filter(kind=kind)
    if status:
        visits = visits.filter(status=status)
    if purpose:
        visits = visits.filter(purpose=purpose)
    if text.strip():
        needle = text.strip()
        visits = visits.filter(
            Q(full_name__icontains=needle) | Q(iin=needle) | Q(document_number__iexact=needle) | Q(badge__number=needle)
        )
    return visits.order_by("registered_at", "id")


def desk_today(*, entrance: Entrance, day: dt.date) -> QuerySet[Visit]:
    """The visitors registered at `entrance` today (the officer's own list)."""
    return Visit.objects.filter(entrance=entrance, day=day, kind=VisitKind.VISITOR).order_by("-registered_at", "-id")


def entrances_of(court: Court) -> QuerySet[Entrance]:
    return Entrance.objects.filter(court=court, is_active=True).order_by("-for_visitors", "code")
