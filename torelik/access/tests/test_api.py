"""The API a turnstile or badge reader calls: its token checked (missing, wrong, revoked: 401), events
by badge and by pass code allowed (200) or refused with a translated reason (4xx), every one kept; and
the device simulator talking to a live server over real HTTP."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from torelik.access import actions
from torelik.access.models import Device, Passage, Purpose, Visit, VisitStatus
from torelik.access.simulator import Turnstile
from torelik.access.tests.factories import BADGE, MORNING, PARTY_IIN, Building, building
from torelik.core import clock

URL = "/api/v1/access/events"


def post(
    client: Client, token: str | None, body: dict[str, str], language: str = "en"
) -> tuple[int, dict[str, object]]:
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.post(URL, body, content_type="application/json", **headers)  # type: ignore[arg-type]
    return response.status_code, response.json()


@pytest.fixture
def b(db: None) -> Iterator[Building]:
    with clock.frozen_at(MORNING):
        yield building()


def test_a_call_without_a_token_or_with_a_wrong_one_is_refused_and_nothing_passes(b: Building, client: Client) -> None:
    code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
    assert post(client, None, {"direction": "in", "pass_code": code})[0] == 401
    status, body = post(client, "not-the-token", {"direction": "in", "pass_code": code})
    assert (status, body["code"]) == (401, "device_token_invalid")
    assert Visit.objects.get().status == VisitStatus.REGISTERED
    assert not Passage.objects.exists()


def test_a_revoked_device_is_refused(b: Building, client: Client) -> None:
    actions.revoke_device(device=b.device)
    status, body = post(client, b.token, {"direction": "in", "badge": BADGE}, language="ru")
    assert (status, body["code"]) == (401, "device_revoked")
    assert body["message"] == "Это устройство отозвано службой безопасности суда."


def test_only_the_tokens_hash_is_kept(b: Building) -> None:
    assert not Device.objects.filter(token_hash=b.token).exists()
    assert len(b.device.token_hash) == 64


def test_a_pass_opens_the_turnstile_with_the_courtroom(b: Building, client: Client) -> None:
    code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
    status, body = post(client, b.token, {"direction": "in", "pass_code": f"TORELIK-PASS:{code}"})
    assert status == 200
    assert (body["allowed"], body["courtroom"], body["hearing_starts_at"], body["name"]) == (
        True, "101", "10:00", "Сейткалиева А.",
    )  # fmt: skip
    assert Device.objects.get(pk=b.device.pk).last_seen_at == MORNING


def test_refusals_are_4xx_with_a_translated_reason_and_kept(b: Building, client: Client) -> None:
    code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
    status, body = post(client, b.token, {"direction": "out", "pass_code": code}, language="kk")
    assert (status, body["code"]) == (409, "not_inside")
    assert body["message"] == "Бұл рұқсатнамамен әлі кірген жоқ."
    assert post(client, b.token, {"direction": "in", "badge": "B-0000-404"})[0] == 404
    assert post(client, b.token, {"direction": "in"})[0] == 400
    assert post(client, b.token, {"direction": "sideways", "badge": BADGE})[0] == 422
    assert post(client, b.token, {"direction": "in", "badge": BADGE})[0] == 200
    status, body = post(client, b.token, {"direction": "in", "badge": BADGE}, language="ru")
    assert (status, body["code"]) == (409, "already_inside")
    kept = list(Passage.objects.order_by("id").values_list("allowed", "reason"))
    assert kept == [(False, "not_inside"), (False, "unknown_badge"), (False, "no_credential"), (True, ""),
                    (False, "already_inside")]  # fmt: skip


def test_a_held_visitor_is_refused_at_the_turnstile(b: Building, client: Client) -> None:
    actions.add_ban(
        court=b.court.court, officer=b.security, iin=PARTY_IIN, full_name="С", reason="r",
        starts_on=dt.date(2026, 12, 1), ends_on=None,
    )  # fmt: skip
    visit = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN, purpose=Purpose.HEARING).visit
    assert visit.status == VisitStatus.HELD
    status, body = post(client, b.token, {"direction": "in", "badge": "x"})
    assert status == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.HELD


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_simulated_turnstile_talks_to_a_live_server_over_http(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server answers in its own threads, where a frozen context does not reach: its clock is fixed instead.
    monkeypatch.setattr(clock, "now", lambda: MORNING)
    b = building()
    code = actions.register_visitor(entrance=b.main, officer=b.officer, iin=PARTY_IIN).pass_code
    turnstile = Turnstile(live_server.url, b.token, timeout=5)
    try:
        opened = turnstile.pass_code(code)
        again = turnstile.pass_code(code)
        staff = turnstile.badge(BADGE)
        wrong = Turnstile(live_server.url, "forged", retries=0).badge(BADGE)
    finally:
        turnstile.close()
    assert (opened.allowed, opened.body["courtroom"]) == (True, "101")
    assert (again.allowed, again.status, again.code) == (False, 409, "already_inside")
    assert staff.allowed
    assert (wrong.allowed, wrong.status, wrong.code) == (False, 401, "device_token_invalid")


def test_the_simulator_says_offline_when_nobody_answers() -> None:
    answer = Turnstile("http://127.0.0.1:9", "t", timeout=0.2, retries=1).badge(BADGE)
    assert (answer.allowed, answer.code) == (False, "offline")
