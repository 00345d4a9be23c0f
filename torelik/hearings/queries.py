"""Reads of the hearings context: a court's public timetable, a participant's calendar, and what a
request to schedule a hearing names (courtroom, secretary, participants)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case, Party, PartyRole
from torelik.courts import registry
from torelik.courts.models import Court, Courtroom, Judge
from torelik.hearings.errors import HearingError, HearingErrorCode
from torelik.hearings.models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    Hearing,
    HearingParticipant,
    HearingStatus,
    ParticipantRole,
)
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import Person, User

# The public sees what will happen and what did; a cancelled hearing is not on the board.
PUBLIC_STATUSES = frozenset({HearingStatus.SCHEDULED, HearingStatus.POSTPONED, HearingStatus.HELD})


def timetable_court(code: str) -> Court:
    """The court whose timetable is asked for by its code (with its region, for the time zone)."""
    # From the registry kept in memory (courts.registry): a public board is read at every request.
    court = registry.court(code)
    if court is None:
        raise HearingError(
            HearingErrorCode.UNKNOWN_COURT,
            _("There is no court with the code %(code)s."),
            params={"code": code},
            fields={"court": [str(_("There is no such court."))]},
        )
    return court


def courtroom_of(court: Court, number: str) -> Courtroom | None:
    return Courtroom.objects.filter(court=court, number=number).first()


def account_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def person_with_iin(iin: str) -> Person | None:
    return Person.objects.filter(iin=iin).first()


def participants_of(hearing: Hearing) -> QuerySet[HearingParticipant]:
    """The hearing's participants with their persons."""
    return hearing.participants.select_related("person").all()


def _day_bounds(day: dt.date, court: Court) -> tuple[dt.datetime, dt.datetime]:
    zone = court_zone(court)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


# What a timetable shows (JSON, HTML and iCalendar): a busy court lists a hundred hearings a day, and
# loading every column of the seven rows behind each of them cost more than everything else.
TIMETABLE_FIELDS = (
    "public_id",
    "starts_at",
    "ends_at",
    "kind",
    "status",
    "is_closed",
    "courtroom__number",
    *(f"courtroom__court__{name}" for name in ("code", "name_kk", "name_ru", "name_en")),
    "courtroom__court__region__time_zone",
    "case__number",
    *(f"case__category__{name}" for name in ("code", "name_kk", "name_ru", "name_en")),
    *(f"judge__person__{name}" for name in ("surname", "given_name", "patronymic")),
)


def public_timetable(*, court: Court, day: dt.date) -> QuerySet[Hearing]:
    """The open hearings of `court` on `day` (its local day); closed sessions are never listed."""
    start, end = _day_bounds(day, court)
    return (
        Hearing.objects.filter(
            courtroom__court=court,
            starts_at__gte=start,
            starts_at__lt=end,
            is_closed=False,
            status__in=PUBLIC_STATUSES,
        )
        .select_related("case__category", "courtroom__court__region", "judge__person")
        .only(*TIMETABLE_FIELDS)
        .order_by("starts_at", "courtroom__number")
    )


def timetable_version(*, court: Court, day: dt.date) -> str:
    """What changes whenever the court's timetable of `day` may change: the number of its hearings
    (closed and cancelled ones included) and the last moment one of them was saved (one query)."""
    start, end = _day_bounds(day, court)
    found = Hearing.objects.filter(courtroom__court=court, starts_at__gte=start, starts_at__lt=end).aggregate(
        count=Count("id"), last=Max("updated_at")
    )
    last = found["last"].isoformat() if found["last"] is not None else "-"
    return f"{found['count']}:{last}"


def hearings_of(user: User | None) -> QuerySet[Hearing]:
    """Every hearing `user` sits in or takes part in, in any court: as judge, secretary or participant."""
    if user is None or not user.is_authenticated:
        return Hearing.objects.none()
    condition = Q(secretary=user)
    if user.person_id is not None:
        condition |= Q(judge__person_id=user.person_id) | Q(participants__person_id=user.person_id)
    ids = Hearing.objects.filter(condition).values("id")
    return (
        Hearing.objects.filter(id__in=ids)
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case__category", "courtroom__court__region", "judge__person")
        .order_by("starts_at", "id")
    )


def calendar_of(user: User | None, *, start: dt.datetime, end: dt.datetime) -> QuerySet[Hearing]:
    return hearings_of(user).filter(starts_at__gte=start, starts_at__lt=end)


def feed_owner(token_hash: str) -> User | None:
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=token_hash).first()
    return feed.user if feed is not None and feed.user.is_active else None


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    previous: dt.date
    following: dt.date


def period(view: str, day: dt.date) -> Period:
    """The days a calendar view covers: a day, the ISO week of `day`, or its month."""
    if view == "day":
        return Period(day, day + dt.timedelta(days=1), day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    if view == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return Period(monday, monday + dt.timedelta(days=7), day - dt.timedelta(days=7), day + dt.timedelta(days=7))
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return Period(first, following, previous, following)


# --- Who is called to a case's hearing, and when the judge is free ------------------------------

PARTY_ROLES: dict[str, str] = {
    PartyRole.PROSECUTOR: ParticipantRole.PROSECUTOR,
    PartyRole.LAWYER: ParticipantRole.LAWYER,
    PartyRole.REPRESENTATIVE: ParticipantRole.REPRESENTATIVE,
}


@dataclass(frozen=True)
class CasePerson:
    """A person of the case called to its hearings by default: a party who is a person, or the lawyer
    or representative of a party (an organisation is called through its representative)."""

    person: Person
    role: str  # a ParticipantRole
    party: Party


def case_people(case: Case) -> list[CasePerson]:
    """The case's parties and their representatives who are people, each once, in the case's order."""
    seen: set[tuple[int, str]] = set()
    out: list[CasePerson] = []
    for party in Party.objects.filter(case=case, person__isnull=False).select_related("person").order_by("id"):
        assert party.person is not None  # noqa: S101 - filtered above
        role = PARTY_ROLES.get(party.role, ParticipantRole.PARTY)
        if (party.person.pk, role) in seen:
            continue
        seen.add((party.person.pk, role))
        out.append(CasePerson(person=party.person, role=role, party=party))
    return out


SLOT = dt.timedelta(minutes=30)
DAY_OPENS, DAY_CLOSES = dt.time(9, 0), dt.time(18, 30)


def busy_periods(*, judge: Judge, courtroom: Courtroom | None, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """When the judge (and the courtroom, if given) is taken on `day`, in the court's zone."""
    start, end = _day_bounds(day, judge.court)
    taken = Q(judge=judge) | Q(courtroom=courtroom) if courtroom is not None else Q(judge=judge)
    rows = Hearing.objects.filter(taken, status__in=ACTIVE_STATUSES, starts_at__lt=end, ends_at__gt=start)
    return sorted(rows.values_list("starts_at", "ends_at"))


def free_slots(
    *, judge: Judge, courtroom: Courtroom | None, day: dt.date, minutes: int = 60, after: dt.datetime | None = None
) -> list[dt.time]:
    """The half-hour starts on `day` at which a hearing of `minutes` fits between the judge's (and the
    courtroom's) other hearings, within the court's sitting hours; none before `after`."""
    zone = court_zone(judge.court)
    busy = busy_periods(judge=judge, courtroom=courtroom, day=day)
    length = dt.timedelta(minutes=minutes)
    moment = dt.datetime.combine(day, DAY_OPENS, tzinfo=zone)
    closes = dt.datetime.combine(day, DAY_CLOSES, tzinfo=zone)
    out = []
    while moment + length <= closes:
        clear = all(moment + length <= begins or moment >= ends for begins, ends in busy)
        if clear and (after is None or moment >= after):
            out.append(moment.time())
        moment += SLOT
    return out
