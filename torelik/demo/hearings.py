"""Demo hearings: for the demo cases of the busiest courts, hearings over the coming working
weeks (some closed, some with a participant by videoconference from a facility), scheduled
through the real action so that every conflict rule holds in the demo too."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Count, Q

from torelik.cases.models import Case, CaseStatus, PartyRole
from torelik.core import clock
from torelik.courts.models import Court, Courtroom
from torelik.deadlines.actions import working_calendar
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.errors import HearingConflictError, HearingError
from torelik.hearings.models import Facility, FacilityKind, Hearing, HearingType, ParticipantRole
from torelik.hearings.videoconference import attend_remotely
from torelik.hearings.working_hours import court_zone

BIG_COURTS = 8
CASES_PER_COURT = 40
DAYS_AHEAD = 15
SLOT_HOURS = (9, 10, 11, 12, 14, 15, 16, 17)
# An assigned case gets a preparatory conversation; an accepted one onwards, a main hearing.
OPEN_STATUSES = (
    CaseStatus.ASSIGNED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_PREPARATION,
    CaseStatus.SCHEDULED,
    CaseStatus.HEARD,
)

FACILITIES = (
    ("СИЗО ДКУИС по г. Алматы", FacilityKind.DETENTION_CENTRE, "sip:sizo-almaty@vc.torelik.example"),
    ("Учреждение ЛА-155/18", FacilityKind.PRISON_COLONY, "sip:la155-18@vc.torelik.example"),
    ("Противотуберкулёзный диспансер г. Астаны", FacilityKind.HOSPITAL, "sip:tb-astana@vc.torelik.example"),
)
PARTY_ROLES: dict[str, str] = {
    PartyRole.PROSECUTOR: ParticipantRole.PROSECUTOR,
    PartyRole.LAWYER: ParticipantRole.LAWYER,
    PartyRole.REPRESENTATIVE: ParticipantRole.REPRESENTATIVE,
}


@dataclass(frozen=True)
class HearingSeedSummary:
    hearings: int
    closed: int
    remote: int

    def lines(self) -> list[str]:
        return [f"{self.hearings} hearings, {self.closed} closed, {self.remote} remote participants"]


def _working_days(start: dt.date, count: int) -> list[dt.date]:
    calendar = working_calendar()
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        day += dt.timedelta(days=1)
        if calendar.is_working(day):  # Monday to Friday, less public holidays and declared days off
            days.append(day)
    return days


def _participants(case: Case) -> list[ParticipantInput]:
    out: list[ParticipantInput] = []
    for party in case.parties.all():
        if party.person is None:
            continue
        out.append(ParticipantInput(role=PARTY_ROLES.get(party.role, ParticipantRole.PARTY), person=party.person))
    return out


def _facilities() -> list[Facility]:
    return [
        Facility.objects.get_or_create(
            name=name, defaults={"kind": kind, "vc_endpoint": endpoint, "contact": "+7 727 000 00 00"}
        )[0]
        for name, kind, endpoint in FACILITIES
    ]


def _schedule_court(court: Court, rooms: list[Courtroom], days: list[dt.date], rng: random.Random) -> list[Hearing]:
    zone = court_zone(court)
    slots = [(day, hour, room) for day in days for hour in SLOT_HOURS for room in rooms]
    rng.shuffle(slots)
    cases = list(
        Case.objects.filter(court=court, status__in=OPEN_STATUSES, judge__isnull=False)
        .select_related("court__region", "judge__person")
        .prefetch_related("parties__person")
        .order_by("number")[:CASES_PER_COURT]
    )
    made: list[Hearing] = []
    for index, case in enumerate(cases):
        for _attempt in range(12):
            if not slots:
                return made
            day, hour, room = slots.pop()
            start = dt.datetime(day.year, day.month, day.day, hour, 30 if hour == 17 else 0, tzinfo=zone)
            try:
                made.append(
                    schedule_hearing(
                        case=case,
                        courtroom=room,
                        starts_at=start,
                        ends_at=start + dt.timedelta(hours=1),
                        actor=None,
                        kind=HearingType.PREPARATORY if case.status == CaseStatus.ASSIGNED else HearingType.MAIN,
                        is_closed=index % 7 == 3,
                        participants=_participants(case),
                    )
                )
                break
            except (HearingConflictError, HearingError):
                continue
    return made


def seed_demo_hearings(*, seed: int) -> HearingSeedSummary:
    """Hearings for the demo cases of the busiest courts, unless there are hearings already."""
    if Hearing.objects.exists():
        return HearingSeedSummary(0, 0, 0)
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    days = _working_days(clock.today(), DAYS_AHEAD)
    facilities = _facilities()
    busiest = (
        Court.objects.annotate(
            open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES, cases__judge__isnull=False))
        )
        .filter(open_cases__gt=0)
        .select_related("region")
        .order_by("-open_cases", "code")[:BIG_COURTS]
    )
    hearings: list[Hearing] = []
    for court in busiest:
        rooms = list(Courtroom.objects.filter(court=court).select_related("court__region"))
        if rooms:
            hearings += _schedule_court(court, rooms, days, rng)
    remote = 0
    for index, hearing in enumerate(hearings):
        participant = hearing.participants.select_related("hearing__courtroom").first()
        if index % 5 == 0 and participant is not None and hearing.courtroom.has_videoconference:
            attend_remotely(participant=participant, facility=facilities[remote % len(facilities)])
            remote += 1
    return HearingSeedSummary(len(hearings), sum(h.is_closed for h in hearings), remote)
