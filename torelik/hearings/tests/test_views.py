"""A secretary schedules a hearing through the page; a clash is shown on the form."""

import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.models import Hearing
from torelik.hearings.tests.factories import DAY, NOW, Court_, case_in, court_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


def test_a_secretary_schedules_in_the_browser_and_the_public_sees_it(client: Client, court: Court_) -> None:
    case = case_in(court)
    client.force_login(court.secretary)
    form = {
        "case": case.number,
        "courtroom": court.room.number,
        "day": DAY.isoformat(),
        "start": "10:00",
        "minutes": "60",
        "kind": "main",
    }
    with clock.frozen_at(NOW):
        response = client.post("/ru/hearings/schedule/", form)
        assert response.status_code == 302
        clash = client.post("/ru/hearings/schedule/", {**form, "case": case_in(court).number, "start": "10:30"})
    hearing = Hearing.objects.get()
    assert hearing.secretary == court.secretary
    assert clash.status_code == 422
    assert case.number in clash.content.decode()
    client.logout()
    page = client.get(response["Location"])
    assert case.number in page.content.decode()


def test_a_case_of_another_court_is_unknown_to_the_form(client: Client, court: Court_) -> None:
    other = court_with_staff("0216")
    client.force_login(other.clerk)
    form = {
        "case": case_in(court).number,
        "courtroom": "101",
        "day": DAY.isoformat(),
        "start": "10:00",
        "minutes": "60",
        "kind": "main",
    }
    with clock.frozen_at(NOW):
        response = client.post("/en/hearings/schedule/", form)
    assert response.status_code == 422
    assert not Hearing.objects.exists()
