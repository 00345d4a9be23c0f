"""The staff login is throttled per account and per address (issue 17: 30 wrong passwords in 9 s, then
the right one logged in)."""

import datetime as dt

import pytest
from django.test import Client

from torelik.core import clock
from torelik.identity.models import LoginFailure, User

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # 12:00 in Astana
PASSWORD = "correct horse battery staple"  # noqa: S105 - a test value


def _post(client: Client, username: str, password: str, address: str = "203.0.113.5") -> str:
    response = client.post("/ru/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    return "locked" if "заблокирован" in response.content.decode() else str(response.status_code)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one_until_the_window_passes() -> None:
    User.objects.create_user(username="clerk.0215", password=PASSWORD)
    client = Client()
    with clock.frozen_at(NOON):
        assert [_post(client, "clerk.0215", f"wrong-{n}") for n in range(5)] == ["200"] * 5
        assert _post(client, "clerk.0215", PASSWORD) == "locked"  # the right password too, from anywhere
        assert _post(client, "clerk.0215", PASSWORD, address="198.51.100.9") == "locked"
    with clock.frozen_at(NOON + dt.timedelta(minutes=16)):
        assert _post(client, "clerk.0215", PASSWORD) == "302"
    assert not LoginFailure.objects.filter(key="account:clerk.0215").exists()  # the right one cleared them


def test_one_address_trying_many_accounts_is_locked_out() -> None:
    User.objects.create_user(username="judge.0215", password=PASSWORD)
    client = Client()
    with clock.frozen_at(NOON):
        for n in range(30):
            _post(client, f"someone.{n}", "guess")
        assert _post(client, "judge.0215", PASSWORD) == "locked"
        assert _post(client, "judge.0215", PASSWORD, address="198.51.100.9") == "302"  # the judge elsewhere


def test_a_locked_login_says_until_when_in_the_users_language() -> None:
    User.objects.create_user(username="clerk.0216", password=PASSWORD)
    client = Client()
    with clock.frozen_at(NOON):
        for _ in range(5):
            _post(client, "clerk.0216", "wrong")
        page = client.post(
            "/ru/accounts/login/", {"username": "clerk.0216", "password": "x"}, REMOTE_ADDR="203.0.113.5"
        )
    assert "02.03.2026 12:15" in page.content.decode()
