"""The public board kept per process (ADR 0079): between version checks a repeated read of the
timetable, JSON or page, and a 304 on its ETag, touch no database; a visitor's page sets no cookie;
a logged-in user's page is made for them; a change shows at the next check."""

from typing import Any

import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.actions import cancel_hearing
from torelik.hearings.tests.factories import DAY, NOW, Court_, court_with_staff
from torelik.hearings.tests.test_api import _open_and_closed

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


def _addresses(court: Court_) -> tuple[str, str]:
    code = court.court.code
    return (
        f"/api/v1/hearings?court={code}&date={DAY.isoformat()}",
        f"/ru/hearings/courts/{code}/?date={DAY.isoformat()}",
    )


def test_a_repeated_read_between_checks_touches_no_database(
    client: Client, court: Court_, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.TORELIK_TIMETABLE_CHECK_SECONDS = 60
    settings.TORELIK_REGISTRY_CHECK_SECONDS = 60
    _open_and_closed(court)
    for url in _addresses(court):
        first = client.get(url)
        assert first.status_code == 200
        assert not first.cookies
        assert first["Cache-Control"] == "public, max-age=30"
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content
            assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_the_page_shows_a_change_at_the_next_check(client: Client, court: Court_) -> None:
    open_, _closed = _open_and_closed(court)
    _, page = _addresses(court)
    first = client.get(page)
    assert open_.case.number in first.content.decode()
    with clock.frozen_at(NOW):
        cancel_hearing(hearing=open_, reason="болезнь судьи", actor=court.secretary)
    again = client.get(page, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert open_.case.number not in again.content.decode()


def test_a_logged_in_users_timetable_page_is_made_for_them(client: Client, court: Court_) -> None:
    _open_and_closed(court)
    _, page = _addresses(court)
    client.get(page)
    client.force_login(court.secretary)
    response = client.get(page)
    assert response.status_code == 200
    assert "ETag" not in response
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert client.get("/ru/hearings/courts/9999/").status_code == 404
