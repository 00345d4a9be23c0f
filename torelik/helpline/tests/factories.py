"""A small world for the helpline's tests: a district court with a chairman, a case with a party who has
a phone on record and a hearing ahead, the Supreme Court, a call-centre operator."""

import datetime as dt
from dataclasses import dataclass

from torelik.cases.models import Case, Party, PartyRole
from torelik.cases.tests.factories import staff_user
from torelik.courts.models import Court, CourtKind, StaffRole
from torelik.courts.tests.factories import CourtFactory, PersonFactory, RegionFactory
from torelik.hearings.models import Hearing
from torelik.hearings.tests.factories import Court_, case_in, court_with_staff
from torelik.identity.models import Person, User
from torelik.notifications.models import Message

PARTY_IIN = "871008401427"  # a valid IIN of ../shared/domain/kazakhstan.md
PARTY_PHONE = "+77011234567"


@dataclass
class World:
    court: Court_
    supreme: Court
    case: Case
    party: Person
    operator: User
    chairman: User
    hearing: Hearing


def world() -> World:
    court = court_with_staff("0215")
    supreme = CourtFactory.create(code="0000", kind=CourtKind.SUPREME, region=RegionFactory.create(code="00"))
    case = case_in(court)
    party = PersonFactory.create(iin=PARTY_IIN, phone=PARTY_PHONE, surname="Сейткалиева", given_name="Айгуль")
    Party.objects.create(case=case, role=PartyRole.CLAIMANT, person=party, phone=PARTY_PHONE)
    hearing = Hearing.objects.create(
        case=case,
        courtroom=court.room,
        starts_at=case.registered_at + dt.timedelta(days=3),
        ends_at=case.registered_at + dt.timedelta(days=3, hours=1),
        judge=court.judge,
    )
    return World(
        court=court,
        supreme=supreme,
        case=case,
        party=party,
        operator=staff_user("operator.1401", supreme, StaffRole.CALL_CENTRE_OPERATOR),
        chairman=staff_user("chairman.0215", court.court, StaffRole.CHAIRMAN),
        hearing=hearing,
    )


def last_code(phone: str) -> str:
    message = Message.objects.filter(cause__startswith="helpline-code:", recipient_phone=phone).order_by("-id").first()
    assert message is not None
    return str(message.payload["code"])
