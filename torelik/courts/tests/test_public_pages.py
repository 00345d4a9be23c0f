"""The court directory and a court's page kept per registry version (ADR 0078): a visitor's read sets no
cookie and touches no session, a repeat with its ETag is 304 without the database, a logged-in user's
pages are made for them as before, and a change of the registry shows at the next version check."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from torelik.courts.models import Court, StaffRole
from torelik.courts.tests.factories import CourtFactory, CourtroomFactory, JudgeFactory, PersonFactory, RegionFactory
from torelik.identity.models import User

pytestmark = pytest.mark.django_db

PAGES = ("/ru/courts/", "/ru/courts/?region=02&kind=district", "/ru/courts/0215/", "/kk/courts/0215/")


@pytest.fixture
def court() -> Court:
    region = RegionFactory.create(code="02", name_ru="Акмолинская область")
    court = CourtFactory.create(code="0215", region=region, name_ru="Бурабайский районный суд")
    CourtroomFactory.create(court=court, number="1", has_recording=True)
    JudgeFactory.create(court=court, person__surname="Жумабаев", person__given_name="Ерлан", person__patronymic="")
    return court


@pytest.mark.parametrize("url", PAGES)
def test_a_visitors_read_sets_no_cookie_and_is_cacheable(client: Client, court: Court, url: str) -> None:
    for _ in range(2):  # built, then served as kept
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, response.cookies  # no session, CSRF or messages cookie
        assert response["ETag"]
        assert response["Cache-Control"] == "public, max-age=300"
        assert "Cookie" in response["Vary"]


def test_a_visitors_read_loads_no_session(client: Client, court: Court, monkeypatch: Any) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    client.get("/ru/courts/0215/")

    def refused(*args: Any) -> None:
        raise AssertionError("a visitor's read loaded a session")

    monkeypatch.setattr(SessionStore, "load", refused)
    assert client.get("/ru/courts/0215/").status_code == 200
    assert client.get("/ru/courts/").status_code == 200


def test_a_repeated_page_read_with_its_etag_is_304_without_touching_the_database(
    client: Client, court: Court, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.TORELIK_REGISTRY_CHECK_SECONDS = 60
    for url in PAGES:
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
            assert again.content == first.content
            repeat = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert repeat.status_code == 304
        assert repeat["ETag"] == first["ETag"]


def test_the_page_follows_a_change_of_the_registry(client: Client, court: Court) -> None:
    first = client.get("/ru/courts/0215/")
    assert "Бурабайский районный суд" in first.content.decode()
    JudgeFactory.create(court=court, person__surname="Сапаров", person__given_name="Нурлан", person__patronymic="")
    again = client.get("/ru/courts/0215/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "Сапаров" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_pages_speak_the_language_of_their_address(client: Client, court: Court) -> None:
    ru = client.get("/ru/courts/").content.decode()
    en = client.get("/en/courts/").content.decode()
    assert 'lang="ru"' in ru
    assert "Суды" in ru
    assert 'lang="en"' in en
    assert "Courts" in en


def test_a_logged_in_users_page_is_made_for_them(client: Client, court: Court) -> None:
    visitor = client.get("/ru/courts/0215/").content.decode()
    user = User.objects.create_user(
        username="clerk.0215", password="a-long-passphrase-1", person=PersonFactory.create()
    )
    user.positions.create(court=court, role=StaffRole.CLERK)
    client.force_login(user)
    response = client.get("/ru/courts/0215/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "ETag" not in response
    assert "Cache-Control" not in response
    assert "Cookie" in response["Vary"]
    assert "Жумабаев" in page  # the kept content
    assert "/accounts/logout/" in page  # their own header: the log-out form
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="csrfmiddlewaretoken"' not in visitor
    assert client.get("/ru/courts/").status_code == 200


def test_a_visitor_with_messages_gets_them(client: Client, court: Court) -> None:
    from django.contrib.messages.storage.cookie import CookieStorage

    client.get("/ru/courts/")  # the visitors' page kept
    client.cookies[CookieStorage.cookie_name] = "anything"
    response = client.get("/ru/courts/")
    assert response.status_code == 200
    assert "ETag" not in response  # made for them, not the visitors' page
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_an_unknown_court_is_still_404(client: Client, court: Court) -> None:
    assert client.get("/ru/courts/9999/").status_code == 404
    assert client.get("/ru/courts/9999/").status_code == 404
