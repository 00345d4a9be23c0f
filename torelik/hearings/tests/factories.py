"""Helpers for hearings tests: a court with a judge, a secretary and a case ready for a hearing."""

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from torelik.cases.models import Case, CaseStatus, Instance
from torelik.cases.tests.factories import court_office, staff_user
from torelik.core import clock
from torelik.courts.models import CaseCategory, Court, Courtroom, Judge, StaffRole
from torelik.courts.tests.factories import CourtroomFactory, PersonFactory
from torelik.identity.models import Person, User

ALMATY = ZoneInfo("Asia/Almaty")
_sequence = itertools.count(1)

# A Tuesday; the hearings in the tests are on the Wednesday after.
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ALMATY)
DAY = dt.date(2026, 12, 2)


def at(hour: int, minute: int = 0, day: dt.date = DAY, zone: ZoneInfo = ALMATY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@dataclass
class Court_:
    court: Court
    judge: Judge
    judge_user: User
    clerk: User
    secretary: User
    category: CaseCategory
    room: Courtroom
    other_room: Courtroom


def court_with_staff(code: str = "0215") -> Court_:
    office = court_office(code)
    judge_person = office.judge_user.person
    assert judge_person is not None
    judge = Judge.objects.create(person=judge_person, court=office.court)
    secretary = staff_user(f"secretary.{code}", office.court, StaffRole.SECRETARY)
    secretary.positions.filter(role=StaffRole.SECRETARY).update(judge=judge)  # works for the case's judge
    return Court_(
        court=office.court,
        judge=judge,
        judge_user=office.judge_user,
        clerk=office.clerk,
        category=office.category,
        secretary=secretary,
        room=CourtroomFactory.create(court=office.court, number="101"),
        other_room=CourtroomFactory.create(court=office.court, number="102"),
    )


def case_in(court: Court_, *, status: str = CaseStatus.ACCEPTED, judge: Judge | None = None) -> Case:
    sequence = next(_sequence)
    category = court.category
    return Case.objects.create(
        number=f"{court.court.code}-26-00-2/{sequence}",
        court=court.court,
        year=2026,
        type_code="2",
        sequence=sequence,
        proceeding_type=category.proceeding_type,
        instance=Instance.FIRST,
        category=category,
        judge=judge or court.judge,
        status=status,
        registered_at=clock.now(),
    )


def person(surname: str = "Ахметов") -> Person:
    return PersonFactory.create(surname=surname)
