"""Operators register a courtroom's recorder (admin or command) and get its token once; the token
then works on the recorder's API, and only its hash is kept."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from torelik.core.tokens import token_digest
from torelik.hearings.access import recorder_for_token
from torelik.hearings.models import RecorderDevice
from torelik.hearings.tests.factories import court_with_staff
from torelik.identity.models import User

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r"[A-Za-z0-9_-]{40,}")


def test_the_command_prints_a_token_that_the_api_accepts_and_keeps_only_its_hash() -> None:
    court = court_with_staff().court
    out = io.StringIO()
    call_command("register-recorder", court=court.code, name="Зал 101", days=30, stdout=out)
    token = TOKEN.findall(out.getvalue())[-1]
    device = recorder_for_token(token)
    assert device.court == court
    assert device.token_hash == token_digest(token)
    assert token not in {value for row in RecorderDevice.objects.values_list() for value in map(str, row)}


def test_the_admin_shows_the_new_token_once(client: Client) -> None:
    court = court_with_staff().court
    admin = User.objects.create_superuser(username="admin.recorders", password="pw-recorders-1")  # noqa: S106
    client.force_login(admin)
    answer = client.post(
        "/en/admin/hearings/recorderdevice/add/",
        {"court": court.pk, "name": "Зал 102", "valid_until_0": "2030-01-01", "valid_until_1": "10:00:00"},
        follow=True,
    )
    assert answer.status_code == 200
    shown = [str(message) for message in answer.context["messages"] if "shown only now" in str(message)]
    assert len(shown) == 1
    token = TOKEN.findall(shown[0])[-1]
    assert recorder_for_token(token).name == "Зал 102"
    again = client.get(f"/en/admin/hearings/recorderdevice/{RecorderDevice.objects.get().pk}/change/")
    assert token not in again.content.decode()
