"""`POST /api/v1/summons/open` and the public check by number, in the API's one error format."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIMANT_E164, UNKNOWN_PHONE, summoned

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=2)


def post(client: Client, phone: str, code: str) -> tuple[int, dict[str, Any]]:
    with clock.frozen_at(LATER):
        response = client.post(
            "/api/v1/summons/open",
            {"phone": phone, "code": code},
            content_type="application/json",
            headers={"accept-language": "en"},
        )
    return response.status_code, response.json()


def test_open_answers_the_subpoena_in_the_request_language(client: Client, outbox: Outbox) -> None:
    summons = summoned()
    status, body = post(client, CLAIMANT_E164, outbox.codes()[CLAIMANT_E164])
    assert status == 200
    assert body["number"] == "0215-26-S-000001"
    assert body["status"] == "viewed"
    assert {"label": "Case number", "value": summons.case.number} in body["facts"]
    assert body["verify_url"].endswith("/summons/verify/0215-26-S-000001/")


def test_wrong_codes_answer_401_then_429_and_an_unknown_phone_the_same(client: Client, outbox: Outbox) -> None:
    summoned()
    status, unknown = post(client, UNKNOWN_PHONE, "123456")
    assert status == 401
    answers = [post(client, CLAIMANT_E164, "000000") for _ in range(5)]
    assert [status for status, _body in answers] == [401, 401, 401, 401, 429]
    assert answers[0][1] == unknown
    assert answers[0][1]["code"] == "wrong_code"
    assert answers[4][1]["code"] == "too_many_attempts"
    status, body = post(client, CLAIMANT_E164, outbox.codes()[CLAIMANT_E164])
    assert (status, body["code"]) == (429, "too_many_attempts")


def test_a_landline_is_422_with_the_field_named(client: Client) -> None:
    status, body = post(client, "+7 7172 71 01 01", "123456")
    assert status == 422
    assert "phone" in body["fields"]


def test_verification_by_number_has_no_personal_data(client: Client, outbox: Outbox) -> None:
    summons = summoned()
    response = client.get("/api/v1/summons/verify/0215-26-S-000002")
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True
    assert body["court_code"] == "0215"
    text = response.content.decode()
    assert summons.defendant.surname not in text
    assert "+7702" not in text
    assert summons.case.number not in text
    missing = client.get("/api/v1/summons/verify/0215-26-S-999999")
    assert (missing.status_code, missing.json()["code"]) == (404, "subpoena_not_found")


def test_public_statistics(client: Client, outbox: Outbox) -> None:
    summoned()
    response = client.get("/api/v1/summons/statistics", {"start": "2026-12-01", "end": "2026-12-01"})
    assert response.status_code == 200
    assert response.json()["subpoenas_issued"] == 2
    bad = client.get("/api/v1/summons/statistics", {"start": "2026-12-01", "end": "2025-12-01"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_period")
