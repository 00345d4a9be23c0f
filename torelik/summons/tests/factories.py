"""Helpers for summons tests: a case with parties that have phones, and a hearing scheduled for them."""

import datetime as dt
from dataclasses import dataclass

from torelik.cases.actions import PartyInput, register_case
from torelik.cases.models import Case, Channel, Party, PartyRole
from torelik.cases.tests.factories import CLAIMANT_IIN, DEFENDANT_IIN, CourtOffice, claim_document
from torelik.core import clock
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.models import Hearing, ParticipantRole
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff, person
from torelik.identity.models import Language, Person

# Kazakh mobile numbers as people type them, and as E.164.
CLAIMANT_PHONE = "8 701 123 45 67"
CLAIMANT_E164 = "+77011234567"
DEFENDANT_PHONE = "+7 (702) 765-43-21"
DEFENDANT_E164 = "+77027654321"
UNKNOWN_PHONE = "+77775550000"
CLAIM_REGISTERED = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)


@dataclass
class Summoned:
    court: Court_
    case: Case
    claimant: Person
    defendant: Person
    hearing: Hearing


def party(case: Case, who: Person, role: str, phone: str = "", language: str = Language.RUSSIAN) -> Party:
    return Party.objects.create(case=case, role=role, person=who, phone=phone, preferred_language=language)


def summoned(code: str = "0215", *, start: dt.datetime | None = None, number: str = "") -> Summoned:
    """A case of court `code` with a claimant (phone, Russian) and a defendant (phone, Kazakh), both
    called to a hearing on Wednesday 2 December 2026 at 10:00 (scheduled on Tuesday at 10:00)."""
    court = court_with_staff(code)
    case = case_in(court)
    if number:  # e.g. an administrative case, `2а` with a Cyrillic а
        Case.objects.filter(pk=case.pk).update(number=number)
        case.number = number
    claimant = person("Сейткалиева")
    defendant = person("Әбілқасымов")
    party(case, claimant, PartyRole.CLAIMANT, CLAIMANT_PHONE, Language.RUSSIAN)
    party(case, defendant, PartyRole.DEFENDANT, DEFENDANT_PHONE, Language.KAZAKH)
    begins = start or at(10)
    with clock.frozen_at(NOW):
        hearing = schedule_hearing(
            case=case,
            courtroom=court.room,
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=1),
            actor=court.secretary,
            participants=[
                ParticipantInput(role=ParticipantRole.PARTY, person=claimant),
                ParticipantInput(role=ParticipantRole.PARTY, person=defendant),
            ],
        )
    return Summoned(court=court, case=case, claimant=claimant, defendant=defendant, hearing=hearing)


def register_claim(office: CourtOffice, *, consent_sms: bool = False, defendant_phone: str = DEFENDANT_PHONE) -> Case:
    """A claim registered on paper at CLAIM_REGISTERED: the claimant and the defendant with their phones."""
    with clock.frozen_at(CLAIM_REGISTERED):
        return register_case(
            court=office.court,
            proceeding_type=office.category.proceeding_type,
            category_code=office.category.code,
            parties=[
                PartyInput(
                    role=PartyRole.CLAIMANT,
                    iin=CLAIMANT_IIN,
                    surname="Сейткалиева",
                    given_name="Айгуль",
                    phone=CLAIMANT_PHONE,
                    preferred_language="ru",
                ),
                PartyInput(
                    role=PartyRole.DEFENDANT,
                    iin=DEFENDANT_IIN,
                    surname="Әбілқасымов",
                    given_name="Ерлан",
                    phone=defendant_phone,
                    preferred_language="kk",
                ),
            ],
            documents=[claim_document()],
            actor=office.clerk,
            channel=Channel.PAPER,
            consent_sms=consent_sms,
        )
