"""`POST /api/v1/summons/open` and the public check by number, in the API's one error format."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.summons.models import Subpoena
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
    code = Subpoena.objects.get(number="0215-26-S-000001").verify_code
    assert len(code) == 12
    assert body["verify_url"].endswith(f"/summons/verify/0215-26-S-000001/{code}/")


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
    code = Subpoena.objects.get(number="0215-26-S-000002").verify_code
    response = client.get("/api/v1/summons/verify/0215-26-S-000002", {"code": code.upper()})
    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True
    assert body["court_code"] == "0215"
    text = response.content.decode()
    assert summons.defendant.surname not in text
    assert "+7702" not in text
    assert summons.case.number not in text
    missing = client.get("/api/v1/summons/verify/0215-26-S-999999", {"code": code})
    assert (missing.status_code, missing.json()["code"]) == (404, "subpoena_not_found")
    # The number alone, counted up from 000001, tells nothing: a wrong code is answered as a missing number.
    guessed = client.get("/api/v1/summons/verify/0215-26-S-000002", {"code": "2" * 12})
    assert (guessed.status_code, guessed.json()) == (404, missing.json() | {"message": guessed.json()["message"]})
    assert client.get("/api/v1/summons/verify/0215-26-S-000002").status_code == 422


def test_a_subpoena_to_a_closed_hearing_is_only_said_to_be_genuine(client: Client, outbox: Outbox) -> None:
    summons = summoned()
    subpoena = Subpoena.objects.get(number="0215-26-S-000002")
    type(summons.hearing).objects.filter(pk=subpoena.hearing_id).update(is_closed=True)
    body = client.get(f"/api/v1/summons/verify/{subpoena.number}", {"code": subpoena.verify_code}).json()
    assert body == {
        "number": subpoena.number,
        "genuine": True,
        "closed_session": True,
        "status": None,
        "court_code": None,
        "court": None,
        "issued_at": None,
        "hearing_at": None,
        "courtroom": None,
    }
    page = client.get(f"/en/summons/verify/{subpoena.number}/{subpoena.verify_code}/").content.decode()
    assert "was issued by the court" in page
    assert "closed session" in page
    assert "courtroom" not in page.split('id="verdict"')[1]  # no table of facts after the verdict


def test_public_statistics(client: Client, outbox: Outbox) -> None:
    summoned()
    response = client.get("/api/v1/summons/statistics", {"start": "2026-12-01", "end": "2026-12-01"})
    assert response.status_code == 200
    assert response.json()["subpoenas_issued"] == 2
    bad = client.get("/api/v1/summons/statistics", {"start": "2026-12-01", "end": "2025-12-01"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_period")
