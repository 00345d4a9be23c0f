"""A court with a judge (with their own certificates), the judge's assistant, and a heard civil case
with a claimant (a citizen with a phone) and a defendant company."""

import datetime as dt
from dataclasses import dataclass

from torelik.cases.models import Case, CaseStatus, Party, PartyRole
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, staff_user
from torelik.courts.models import StaffRole
from torelik.hearings.tests.factories import Court_, case_in, court_with_staff
from torelik.identity.models import Organisation, Person, User
from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose

_keys: dict[tuple[str, str], IssuedCertificate] = {}


def key_of(ca: DemoCA, person: Person, purpose: KeyPurpose) -> IssuedCertificate:
    """The person's certificate of the demo CA (kept for the session: RSA keys take time)."""
    cache_key = (f"{ca.directory}:{person.iin}", str(purpose))
    if cache_key not in _keys:
        _keys[cache_key] = ca.issue_person(
            iin=str(person.iin), surname=person.surname, given_name=person.given_name, purpose=purpose
        )
    return _keys[cache_key]


@dataclass
class World:
    court: Court_
    case: Case
    assistant: User
    claimant: User
    claimant_party: Party
    defendant_party: Party


def heard_case(code: str = "0215", *, status: str = CaseStatus.HEARD) -> World:
    court = court_with_staff(code)
    assistant = staff_user(f"assistant.{code}", court.court, StaffRole.ASSISTANT)
    assistant.positions.filter(role=StaffRole.ASSISTANT).update(judge=court.judge)
    case = case_in(court, status=status)
    case.subject = "О взыскании долга по договору займа"
    case.save(update_fields=["subject"])
    person, _created = Person.objects.get_or_create(
        iin=CLAIMANT_IIN, defaults={"surname": "Ахметова", "given_name": "Айгерим", "patronymic": "Сериковна"}
    )
    claimant = User.objects.create_user(username=f"claimant.{code}", password="a-long-passphrase-1", person=person)
    company, _created = Organisation.objects.get_or_create(bin=COMPANY_BIN, defaults={"name": "ТОО «Алатау Строй»"})
    claimant_party = Party.objects.create(
        case=case, role=PartyRole.CLAIMANT, person=person, phone="+77011234567", preferred_language="ru"
    )
    defendant_party = Party.objects.create(case=case, role=PartyRole.DEFENDANT, organisation=company)
    return World(court, case, assistant, claimant, claimant_party, defendant_party)


def on(day: dt.date, hour: int = 11) -> dt.datetime:
    from torelik.hearings.tests.factories import ALMATY

    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=ALMATY)
