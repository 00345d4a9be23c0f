"""Join links for remote participants: a JWT that verifies inside its window and expires after it."""

import jwt
import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.errors import HearingError
from torelik.hearings.models import Facility, FacilityKind, Hearing, ParticipantRole
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff, person
from torelik.hearings.videoconference import attend_remotely, join_link, room_of, verify_join_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    court = court_with_staff()
    court.room.has_videoconference = True
    court.room.save()
    return court


@pytest.fixture
def hearing(court: Court_) -> Hearing:
    with clock.frozen_at(NOW):
        return schedule_hearing(
            case=case_in(court),
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.PARTY, person=person("Ким"))],
        )


@pytest.fixture
def facility() -> Facility:
    return Facility.objects.create(
        name="Учреждение ЛА-155/18",
        kind=FacilityKind.PRISON_COLONY,
        vc_endpoint="sip:la155@vc.example",
        contact="+77172000000",
    )


def test_a_join_link_verifies_inside_its_window_and_expires_after(hearing: Hearing, facility: Facility) -> None:
    attendance = attend_remotely(participant=hearing.participants.get(), facility=facility)
    link = join_link(attendance)
    assert link.url.endswith(f"/{room_of(hearing)}?jwt={link.token}")
    claims = verify_join_token(link.token, at=at(10, 5))
    assert claims["room"] == room_of(hearing)
    assert claims["context"]["user"]["id"] == str(attendance.participant.public_id)
    assert claims["exp"] == int(at(14).timestamp())
    assert claims["nbf"] == int(at(9, 30).timestamp())
    with pytest.raises(jwt.ExpiredSignatureError):
        verify_join_token(link.token, at=at(14, 1))
    with pytest.raises(jwt.ImmatureSignatureError):
        verify_join_token(link.token, at=at(9))
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(link.token, "another-secret-of-at-least-32-bytes!", algorithms=["HS256"], audience="jitsi")


def test_a_courtroom_without_videoconference_is_refused(court: Court_, hearing: Hearing, facility: Facility) -> None:
    court.room.has_videoconference = False
    court.room.save()
    with pytest.raises(HearingError):
        attend_remotely(participant=hearing.participants.get(), facility=facility)


def test_the_secretary_sees_the_links_and_a_stranger_does_not(
    client: Client, court: Court_, hearing: Hearing, facility: Facility
) -> None:
    attend_remotely(participant=hearing.participants.get(), facility=facility)
    client.force_login(court.secretary)
    links = client.get(f"/api/v1/hearings/{hearing.public_id}/join-links")
    assert links.status_code == 200
    assert links.json()[0]["facility"] == "Учреждение ЛА-155/18"
    token = links.json()[0]["url"].rsplit("jwt=", 1)[1]
    assert verify_join_token(token, at=at(10))["room"] == room_of(hearing)
    client.force_login(court_with_staff("0216").clerk)
    assert client.get(f"/api/v1/hearings/{hearing.public_id}/join-links").status_code == 404
