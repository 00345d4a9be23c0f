"""A court building for the access tests: district court 0215 with a main and a staff entrance, an
entrance officer and a security officer, a clerk with a badge, a turnstile with its token, and a case
whose hearing is on Wednesday 2 December 2026 at 10:00 in courtroom 101 with a party and a witness of
known IINs (../shared/domain/kazakhstan.md) summoned to it."""

import datetime as dt
from dataclasses import dataclass

from torelik.access.actions import add_entrance, register_device
from torelik.access.models import Badge, Device, Duty, Entrance, Guard
from torelik.cases.models import Case, PartyRole
from torelik.core import clock
from torelik.courts.tests.factories import PersonFactory
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.models import Hearing, ParticipantRole
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff
from torelik.identity.models import Person, User
from torelik.summons.tests.factories import party

PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password
PARTY_IIN = "871008401427"
WITNESS_IIN = "760212350620"
STRANGER_IIN = "800416300257"  # valid, in no hearing
BANNED_IIN = "680503450037"
INVALID_IIN = "010101600586"  # wrong check digit
BADGE = "B-0215-0001"
HEARING_AT = at(10)
MORNING = at(9, 30)  # Wednesday 2 December 2026, 09:30 in Almaty: the visitor arrives


@dataclass
class Building:
    court: Court_
    main: Entrance
    staff_door: Entrance
    officer: User
    security: User
    badge: Badge
    device: Device
    token: str
    case: Case
    hearing: Hearing
    party: Person
    witness: Person


def account(username: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, person=PersonFactory.create())


def building(code: str = "0215") -> Building:
    court = court_with_staff(code)
    main = add_entrance(court=court.court, code="main", names=("Бас кіреберіс", "Главный вход", "Main entrance"))
    staff_door = add_entrance(
        court=court.court, code="staff", names=("Қызметтік кіреберіс", "Служебный вход", "Staff entrance"),
        for_visitors=False,
    )  # fmt: skip
    officer = account(f"entrance.{code}")
    Guard.objects.create(user=officer, court=court.court, duty=Duty.ENTRANCE, entrance=main)
    security = account(f"security.{code}")
    Guard.objects.create(user=security, court=court.court, duty=Duty.SECURITY)
    badge = Badge.objects.create(
        number=BADGE if code == "0215" else f"B-{code}-0001", court=court.court, user=court.clerk
    )
    device, token = register_device(entrance=main, name="Турникет 1")
    case = case_in(court)
    claimant = Person.objects.filter(iin=PARTY_IIN).first() or PersonFactory.create(
        iin=PARTY_IIN, surname="Сейткалиева", given_name="Айгуль", patronymic=""
    )
    witness = Person.objects.filter(iin=WITNESS_IIN).first() or PersonFactory.create(
        iin=WITNESS_IIN, surname="Жұмабаев", given_name="Ержан", patronymic=""
    )
    party(case, claimant, PartyRole.CLAIMANT, "+77011234567")
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case,
            courtroom=court.room,
            starts_at=HEARING_AT,
            ends_at=HEARING_AT + dt.timedelta(hours=1),
            actor=court.secretary,
            participants=[
                ParticipantInput(role=ParticipantRole.PARTY, person=claimant),
                ParticipantInput(role=ParticipantRole.WITNESS, person=witness),
            ],
        )
    return Building(
        court=court, main=main, staff_door=staff_door, officer=officer, security=security, badge=badge,
        device=device, token=token, case=case, hearing=hearing, party=claimant, witness=witness,
    )  # fmt: skip
