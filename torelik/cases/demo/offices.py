"""The courts as the demo cases use them: who registers a court's filings (its demo clerk, else
its chairman), its judges and their specialisations, how busy it is, and which courts hear a
category at first instance.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from torelik.cases.demo.cast import Place
from torelik.courts.demo import DEMO_ACCOUNTS, DEMO_COURTS
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    Courtroom,
    Judge,
    RegionKind,
    Specialisation,
    StaffRole,
)
from torelik.courts.queries import positions_held
from torelik.identity.models import User

Spec = Specialisation

# Grave crimes go to the specialised inter-district criminal courts as well as to district courts.
_GRAVE = Decimal("2.00")
_CITY_WEIGHT = 2.5
# The courts of the demo accounts get more cases, so that their dockets are full.
_DEMO_COURT_BOOST = {DEMO_COURTS[""]: 4.0, DEMO_COURTS["burabay"]: 6.0}


@dataclass
class Seat:
    judge: Judge
    specialisations: frozenset[str]
    account: User | None
    rate: float
    load: int = 0


@dataclass
class Desk:
    """A court as the demo uses it: who registers its filings, its judges, where, how busy."""

    court: Court
    registrar: User
    seats: list[Seat]
    place: Place
    weight: float

    def judge_for(self, wanted: Sequence[str]) -> Seat:
        """The least loaded judge (for their participation rate) with the first wanted specialisation
        the court has, else any judge: deterministic, and no draw (see PLACEHOLDER_ASSIGNMENT)."""
        seats = self.seats
        for specialisation in wanted:
            matching = [seat for seat in self.seats if specialisation in seat.specialisations]
            if matching:
                seats = matching
                break
        seat = min(seats, key=lambda s: ((s.load + 1) / s.rate, s.judge.pk))
        seat.load += 1
        return seat


def load_desks(*, first_day: dt.date, last_day: dt.date) -> list[Desk]:
    """Every active court with a judge and someone who may register its filings all year."""
    demo_clerks = {account.username for account in DEMO_ACCOUNTS if account.role == StaffRole.CLERK}
    positions = (
        (positions_held(on=first_day) & positions_held(on=last_day))  # held the whole year
        .filter(role__in=[StaffRole.CHAIRMAN, StaffRole.CLERK], court__is_active=True)
        .select_related("user")
        .order_by("court_id", "role", "user_id")
    )
    registrars: dict[int, User] = {}
    for position in positions:  # chairman before clerk: a demo clerk takes over from the chairman
        if position.role == StaffRole.CLERK and position.user.username in demo_clerks:
            registrars[position.court_id] = position.user
        elif position.role == StaffRole.CHAIRMAN:
            registrars.setdefault(position.court_id, position.user)
    accounts = {user.person_id: user for user in User.objects.filter(person__judge__isnull=False)}
    seats: dict[int, list[Seat]] = defaultdict(list)
    judges = Judge.objects.filter(is_active=True, participation_rate__gt=0).select_related("person")
    for judge in judges.prefetch_related("specialisations").order_by("court_id", "pk"):
        seats[judge.court_id].append(
            Seat(
                judge=judge,
                specialisations=frozenset(s.specialisation for s in judge.specialisations.all()),
                account=accounts.get(judge.person_id),
                rate=float(judge.participation_rate),
            )
        )
    rooms: dict[int, int] = dict(
        Courtroom.objects.order_by().values("court").annotate(n=Count("pk")).values_list("court", "n")
    )
    desks = []
    for court in Court.objects.filter(is_active=True).select_related("region").order_by("code"):
        if court.pk not in registrars or not seats[court.pk]:
            continue
        region = court.region
        place = Place(region.code, region.centre_kk, region.centre_ru) if region else Place("", "Астана", "Астана")
        city = _CITY_WEIGHT if region is not None and region.kind == RegionKind.CITY else 1.0
        weight = max(1, rooms.get(court.pk, 0)) * city * _DEMO_COURT_BOOST.get(court.code, 1.0)
        desks.append(Desk(court, registrars[court.pk], seats[court.pk], place, weight))
    return desks


def venues(desks: Sequence[Desk], category: CaseCategory) -> list[Desk]:
    """The courts of first instance that hear `category`: its specialised courts; district courts for
    civil, criminal and offence cases (offences and judicial control only in regions without a
    specialised court for them)."""
    specialisation = category.specialisation
    specialised = [
        d for d in desks if d.court.kind == CourtKind.SPECIALISED and d.court.specialisation == specialisation
    ]
    district = [d for d in desks if d.court.kind == CourtKind.DISTRICT]
    if specialisation == Spec.CIVIL:
        return district
    if specialisation == Spec.CRIMINAL:
        return district + (specialised if category.complexity >= _GRAVE else [])
    if specialisation in (Spec.ADMINISTRATIVE_OFFENCE, Spec.INVESTIGATIVE):
        covered = {d.court.region_id for d in specialised}
        local = [
            d
            for d in district
            if d.court.region_id not in covered and any(specialisation in s.specialisations for s in d.seats)
        ]
        return specialised + local
    return specialised  # economic, juvenile, administrative
