"""Scheduling from a case's page: the parties and representatives are called by default (so subpoenas
and calendars follow), others are added by IIN; the hearing's own page; who may schedule."""

import pytest
from django.test import Client

from torelik.cases.models import Party, PartyRole
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import Judge, StaffRole
from torelik.hearings.models import Facility, FacilityKind, Hearing, ParticipantRole, RemoteAttendance
from torelik.hearings.queries import hearings_of
from torelik.hearings.tests.factories import DAY, NOW, Court_, case_in, court_with_staff, person
from torelik.identity.models import User

pytestmark = pytest.mark.django_db

WITNESS_IIN = "800416300257"  # a valid IIN (domain/kazakhstan.md)


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


def _form(court: Court_, **extra: str) -> dict[str, str]:
    return {
        "courtroom": str(court.room.pk),
        "day": DAY.isoformat(),
        "start": "10:00",
        "minutes": "60",
        "kind": "main",
        **extra,
    }


def _case_with_parties(court: Court_) -> tuple:  # type: ignore[type-arg]
    case = case_in(court)
    claimant = Party.objects.create(case=case, role=PartyRole.CLAIMANT, person=person("Сейткалиева"))
    defendant = Party.objects.create(case=case, role=PartyRole.DEFENDANT, person=person("Омаров"))
    lawyer = Party.objects.create(case=case, role=PartyRole.LAWYER, person=person("Ким"), represents=defendant)
    return case, claimant, defendant, lawyer


def test_the_judge_schedules_from_the_case_and_every_party_and_lawyer_is_called(client: Client, court: Court_) -> None:
    case, claimant, defendant, lawyer = _case_with_parties(court)
    client.force_login(court.judge_user)
    with clock.frozen_at(NOW):
        page = client.get(f"/ru/hearings/cases/{case.number}/schedule/")
        assert page.status_code == 200
        text = page.content.decode()
        for party in (claimant, defendant, lawyer):
            assert party.person is not None
            assert party.person.full_name in text
        response = client.post(
            f"/ru/hearings/cases/{case.number}/schedule/",
            {
                **_form(court),
                "call_0": "on",
                "call_1": "on",
                "call_2": "on",
                "extra_0_role": ParticipantRole.WITNESS,
                "extra_0_iin": WITNESS_IIN,
                "extra_0_surname": "Жумабаева",
                "extra_0_given_name": "Динара",
            },
        )
    hearing = Hearing.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == f"/ru/hearings/{hearing.public_id}/"
    roles = sorted(hearing.participants.values_list("person__surname", "role"))
    assert roles == [
        ("Жумабаева", ParticipantRole.WITNESS),
        ("Ким", ParticipantRole.LAWYER),
        ("Омаров", ParticipantRole.PARTY),
        ("Сейткалиева", ParticipantRole.PARTY),
    ]
    # The lawyer's calendar has the hearing (the calendar reads the participants).
    lawyer_account = User.objects.create_user(username="lawyer", password="x-long-passphrase-1", person=lawyer.person)
    assert list(hearings_of(lawyer_account)) == [hearing]
    shown = client.get(response["Location"]).content.decode()
    assert "Жумабаева" in shown
    assert "Свидетель" in shown or "свидетель" in shown


def test_an_unticked_party_is_not_called(client: Client, court: Court_) -> None:
    case, _claimant, _defendant, _lawyer = _case_with_parties(court)
    client.force_login(court.secretary)
    with clock.frozen_at(NOW):
        response = client.post(f"/ru/hearings/cases/{case.number}/schedule/", {**_form(court), "call_0": "on"})
    assert response.status_code == 302
    assert list(Hearing.objects.get().participants.values_list("person__surname", flat=True)) == ["Сейткалиева"]


def test_a_remote_participant_gets_a_link_and_the_facility_contact_sees_the_hearing(
    client: Client, court: Court_
) -> None:
    case, _claimant, defendant, _lawyer = _case_with_parties(court)
    court.room.has_videoconference = True
    court.room.save()
    contact = User.objects.create_user(username="sizo", password="x-long-passphrase-1", person=person("Нуров"))
    facility = Facility.objects.create(
        name="СИЗО г. Алматы", kind=FacilityKind.DETENTION_CENTRE, vc_endpoint="sip:s@vc", contact_account=contact
    )
    client.force_login(court.judge_user)
    with clock.frozen_at(NOW):
        response = client.post(
            f"/ru/hearings/cases/{case.number}/schedule/",
            {**_form(court), "call_1": "on", "from_1": str(facility.pk)},
        )
        assert response.status_code == 302, response.content.decode()
        attendance = RemoteAttendance.objects.get()
        assert attendance.participant.person == defendant.person
        staff_view = client.get(response["Location"]).content.decode()
        assert "jwt=" in staff_view
        client.force_login(contact)
        listed = client.get("/ru/hearings/facility/").content.decode()
    assert case.number in listed
    assert "jwt=" in listed


def test_another_judge_of_the_court_is_refused_and_nothing_is_scheduled(client: Client, court: Court_) -> None:
    case, *_ = _case_with_parties(court)
    colleague = staff_user("judge.colleague", court.court, StaffRole.JUDGE)
    assert colleague.person is not None
    Judge.objects.create(person=colleague.person, court=court.court)
    client.force_login(colleague)
    with clock.frozen_at(NOW):
        page = client.get(f"/ru/hearings/cases/{case.number}/schedule/")
        posted = client.post(f"/ru/hearings/cases/{case.number}/schedule/", {**_form(court), "call_0": "on"})
    assert page.status_code == 403
    assert posted.status_code == 403
    assert not Hearing.objects.exists()


def test_a_clash_is_shown_on_the_form_with_the_case_in_the_way(client: Client, court: Court_) -> None:
    first, *_ = _case_with_parties(court)
    second = case_in(court)
    client.force_login(court.judge_user)
    with clock.frozen_at(NOW):
        client.post(f"/ru/hearings/cases/{first.number}/schedule/", _form(court))
        clash = client.post(f"/ru/hearings/cases/{second.number}/schedule/", _form(court, start="10:30"))
    assert clash.status_code == 422
    assert first.number in clash.content.decode()


def test_a_case_of_another_court_is_not_found(client: Client, court: Court_) -> None:
    other = court_with_staff("0216")
    client.force_login(other.judge_user)
    with clock.frozen_at(NOW):
        response = client.get(f"/en/hearings/cases/{case_in(court).number}/schedule/")
    assert response.status_code == 404
