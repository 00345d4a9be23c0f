"""Who may see a case (torelik.cases.access), role by role, and what each opening leaves in the access log."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from torelik.cases.access import access_case_for, access_document_for, cases_visible_to
from torelik.cases.actions import PartyInput, register_case
from torelik.cases.errors import CaseErrorCode, CaseNotFoundError
from torelik.cases.models import AccessKind, Case, CaseAccess, PartyRole
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    DEFENDANT_IIN,
    OTHER_IIN,
    claim_document,
    claimant_and_defendant,
    court_office,
    staff_user,
)
from torelik.core import clock
from torelik.courts.models import Court, CourtKind, ProceedingType, StaffPosition, StaffRole
from torelik.courts.tests.factories import CourtFactory, PersonFactory
from torelik.identity.models import AccountKind, Person, User

pytestmark = pytest.mark.django_db

MARCH_2026 = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)  # MARCH_2026 in Astana (UTC+5)


@pytest.fixture(autouse=True)
def _march_2026() -> Iterator[None]:
    with clock.frozen_at(MARCH_2026):
        yield


@dataclass
class Network:
    """Supreme Court → regional court → the district court where the case is; a second district court."""

    supreme: Court
    regional: Court
    district: Court
    other_district: Court
    case: Case
    clerk: User


@pytest.fixture
def network() -> Network:
    supreme = CourtFactory.create(code="0001", kind=CourtKind.SUPREME, region=None)
    regional = CourtFactory.create(code="0200", kind=CourtKind.REGIONAL, parent=supreme)
    office = court_office("0215")
    office.court.parent = regional
    office.court.save(update_fields=["parent"])
    other = court_office("0216")
    other.court.parent = regional
    other.court.save(update_fields=["parent"])
    parties = [
        *claimant_and_defendant(),
        PartyInput(role=PartyRole.LAWYER, iin=OTHER_IIN, surname="Жумабаев", given_name="Ерлан", represents=0),
    ]
    case = register_case(
        court=office.court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=office.category.code,
        parties=parties,
        documents=[claim_document()],
        actor=office.clerk,
    )
    return Network(
        supreme=supreme,
        regional=regional,
        district=office.court,
        other_district=other.court,
        case=case,
        clerk=office.clerk,
    )


def _staff(network: Network, court: str, role: StaffRole) -> User:
    return staff_user(f"{role}.{court}", getattr(network, court), role)


def _citizen(iin: str) -> User:
    person = Person.objects.filter(iin=iin).first() or PersonFactory.create(iin=iin)
    return User.objects.create_user(username=f"citizen.{iin}", person=person, kind=AccountKind.CITIZEN)


def _sees(user: User | None, case: Case) -> bool:
    """Whether `access_case_for` gives the case; a refusal must be the plain "not found"."""
    try:
        access_case_for(user, case.number, ip_address="192.0.2.10")
    except CaseNotFoundError as error:
        refusal = error
    else:
        return True
    assert refusal.code == CaseErrorCode.CASE_NOT_FOUND
    return False


SEEING = [
    ("district", StaffRole.CLERK),
    ("district", StaffRole.JUDGE),
    ("district", StaffRole.SECRETARY),
    ("district", StaffRole.CHAIRMAN),
    ("district", StaffRole.ANALYST),
    ("regional", StaffRole.CHAIRMAN),
    ("regional", StaffRole.ANALYST),
    ("supreme", StaffRole.CHAIRMAN),
    ("supreme", StaffRole.ANALYST),
]
NOT_SEEING = [
    ("other_district", StaffRole.CLERK),
    ("other_district", StaffRole.JUDGE),
    ("other_district", StaffRole.SECRETARY),
    ("other_district", StaffRole.CHAIRMAN),
    ("regional", StaffRole.JUDGE),
    ("regional", StaffRole.CLERK),
    ("regional", StaffRole.SECRETARY),
    ("supreme", StaffRole.JUDGE),
    ("district", StaffRole.PSC_OPERATOR),
    ("district", StaffRole.CALL_CENTRE_OPERATOR),
    ("district", StaffRole.ADMINISTRATOR),
]


@pytest.mark.parametrize(("court", "role"), SEEING, ids=[f"{c}-{r}" for c, r in SEEING])
def test_staff_of_the_court_and_supervisors_above_see_the_case(network: Network, court: str, role: StaffRole) -> None:
    user = _staff(network, court, role)
    assert _sees(user, network.case)
    assert list(cases_visible_to(user)) == [network.case]
    entry = CaseAccess.objects.get(user=user)
    assert (entry.case, entry.kind, entry.ip_address, entry.at) == (
        network.case,
        AccessKind.CASE_OPENED,
        "192.0.2.10",
        MARCH_2026,
    )


@pytest.mark.parametrize(("court", "role"), NOT_SEEING, ids=[f"{c}-{r}" for c, r in NOT_SEEING])
def test_other_courts_judges_above_and_non_reading_positions_see_nothing(
    network: Network, court: str, role: StaffRole
) -> None:
    user = _staff(network, court, role)
    assert not _sees(user, network.case)
    assert not cases_visible_to(user).exists()
    assert not CaseAccess.objects.exists()


def test_the_parties_and_their_lawyer_see_the_case_without_an_access_log_entry(network: Network) -> None:
    for iin in (CLAIMANT_IIN, OTHER_IIN):  # the claimant and the lawyer representing her
        user = _citizen(iin)
        assert _sees(user, network.case)
        assert list(cases_visible_to(user)) == [network.case]
    assert not CaseAccess.objects.exists()


def test_a_person_who_is_not_a_party_sees_nothing(network: Network) -> None:
    user = _citizen(DEFENDANT_IIN)  # a real person, but the defendant here is a company
    assert not _sees(user, network.case)
    assert not cases_visible_to(user).exists()


def test_anonymous_and_accountless_users_see_nothing(network: Network) -> None:
    assert not _sees(None, network.case)
    assert not cases_visible_to(None).exists()
    technical = User.objects.create_user(username="technical", person=None)
    assert not _sees(technical, network.case)
    assert not cases_visible_to(technical).exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(None, TODAY - dt.timedelta(days=1)), (TODAY + dt.timedelta(days=1), None)],
    ids=["ended-yesterday", "starts-tomorrow"],
)
def test_a_position_outside_its_dates_gives_no_access(
    network: Network, starts_on: dt.date | None, ends_on: dt.date | None
) -> None:
    user = _staff(network, "district", StaffRole.JUDGE)
    StaffPosition.objects.filter(user=user).update(starts_on=starts_on, ends_on=ends_on)
    assert not _sees(user, network.case)
    assert not cases_visible_to(user).exists()
    assert not CaseAccess.objects.exists()


def test_a_position_on_its_first_and_last_day_gives_access(network: Network) -> None:
    user = _staff(network, "district", StaffRole.JUDGE)
    StaffPosition.objects.filter(user=user).update(starts_on=TODAY, ends_on=TODAY)
    assert _sees(user, network.case)


def test_a_supervisor_whose_position_ended_sees_nothing_below(network: Network) -> None:
    user = _staff(network, "regional", StaffRole.CHAIRMAN)
    StaffPosition.objects.filter(user=user).update(ends_on=TODAY - dt.timedelta(days=1))
    assert not _sees(user, network.case)


def test_every_staff_opening_writes_one_access_row(network: Network) -> None:
    judge = _staff(network, "district", StaffRole.JUDGE)
    for _ in range(3):
        access_case_for(judge, network.case.number, ip_address="192.0.2.10")
    access_case_for(judge, network.case.number, kind=AccessKind.JOURNAL_READ)
    kinds = sorted(CaseAccess.objects.filter(user=judge).values_list("kind", flat=True))
    assert kinds == [AccessKind.CASE_OPENED] * 3 + [AccessKind.JOURNAL_READ]


def test_document_access_follows_the_case_and_logs_staff_only(network: Network) -> None:
    document = network.case.documents.get()
    judge = _staff(network, "district", StaffRole.JUDGE)
    assert access_document_for(judge, network.case.number, str(document.public_id), ip_address="192.0.2.10") == document
    entry = CaseAccess.objects.get()
    assert (entry.kind, entry.document, entry.ip_address) == (AccessKind.DOCUMENT_READ, document, "192.0.2.10")
    claimant = _citizen(CLAIMANT_IIN)
    assert access_document_for(claimant, network.case.number, str(document.public_id)) == document
    assert CaseAccess.objects.count() == 1
    for outsider in (_staff(network, "other_district", StaffRole.JUDGE), _citizen(DEFENDANT_IIN), None):
        with pytest.raises(CaseNotFoundError) as refused:
            access_document_for(outsider, network.case.number, str(document.public_id))
        assert refused.value.code == CaseErrorCode.CASE_NOT_FOUND
    assert CaseAccess.objects.count() == 1


def test_an_unknown_or_malformed_document_id_is_not_found_and_not_logged(network: Network) -> None:
    judge = _staff(network, "district", StaffRole.JUDGE)
    for document_id in ("00000000-0000-4000-8000-000000000000", "not-a-uuid"):
        with pytest.raises(CaseNotFoundError) as refused:
            access_document_for(judge, network.case.number, document_id)
        assert refused.value.code == CaseErrorCode.DOCUMENT_NOT_FOUND
    assert not CaseAccess.objects.exists()


def test_the_answer_for_a_hidden_case_is_the_answer_for_a_missing_one(network: Network) -> None:
    stranger = _staff(network, "other_district", StaffRole.JUDGE)
    with pytest.raises(CaseNotFoundError) as hidden:
        access_case_for(stranger, network.case.number)
    with pytest.raises(CaseNotFoundError) as missing:
        access_case_for(stranger, "0215-26-00-2/999")
    assert hidden.value.code == missing.value.code
    assert hidden.value.message == missing.value.message.replace("0215-26-00-2/999", network.case.number)


def test_every_door_of_a_case_gives_a_supreme_court_judge_the_same_not_found(network: Network) -> None:
    """The case file, its terms in the API and its terms' page agree: no existence oracle (issue 17)."""
    from django.test import Client  # noqa: PLC0415

    judge = _staff(network, "supreme", StaffRole.JUDGE)
    client = Client()
    client.force_login(judge)
    number = network.case.number
    assert client.get(f"/api/v1/cases/{number}").status_code == 404
    assert client.get(f"/api/v1/deadlines/cases/{number}/terms").status_code == 404
    assert client.get(f"/ru/deadlines/cases/{number}/").status_code == 404
    assert client.get("/api/v1/deadlines/cases/0215-26-00-2/999/terms").status_code == 404  # as for a missing one


def test_the_court_before_which_a_case_is_on_appeal_sees_it_and_its_terms_logged(network: Network) -> None:
    from django.test import Client  # noqa: PLC0415

    from torelik.cases.actions import link_cases  # noqa: PLC0415
    from torelik.cases.models import CaseLinkKind  # noqa: PLC0415

    appeal_clerk = _staff(network, "regional", StaffRole.CLERK)
    assert not _sees(appeal_clerk, network.case)
    appeal = Case.objects.create(
        number="0200-26-00-2а/1",
        court=network.regional,
        year=26,
        type_code="2а",
        sequence=1,
        proceeding_type=network.case.proceeding_type,
        category=network.case.category,
        registered_at=MARCH_2026,
    )
    link_cases(from_case=appeal, to_case=network.case, kind=CaseLinkKind.APPEAL_OF, actor=None)
    assert _sees(appeal_clerk, network.case)
    assert network.case in cases_visible_to(appeal_clerk)
    client = Client()
    client.force_login(appeal_clerk)
    assert client.get(f"/api/v1/deadlines/cases/{network.case.number}/terms").status_code == 200
    kinds = set(CaseAccess.objects.filter(user=appeal_clerk, case=network.case).values_list("kind", flat=True))
    assert kinds == {AccessKind.CASE_OPENED, AccessKind.TERMS_READ}
