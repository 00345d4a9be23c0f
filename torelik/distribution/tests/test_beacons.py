"""The two beacons: the local hash chain binds the operator to published anchors; drand over HTTP
is checked, retried with a timeout, and its failure leaves the draw pending, not lost."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import httpx
import pytest

from torelik.core import clock
from torelik.distribution import actions
from torelik.distribution.beacons import (
    BeaconUnavailableError,
    DrandBeacon,
    LocalBeacon,
    RoundNotYetError,
    hash_down,
    round_after,
    round_time,
)
from torelik.distribution.models import DrawStatus
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw

GENESIS = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
RECORDED = Path(__file__).parent / "data" / "drand_rounds.json"


def local() -> LocalBeacon:
    return LocalBeacon(secret=b"s" * 32, genesis=GENESIS, period=1, segment_length=50)


def test_each_value_hashes_down_to_the_anchor_of_its_segment() -> None:
    beacon = local()
    for round_number in (1, 2, 50, 51, 99, 100, 101):
        found = beacon.fetch(round_number, now=GENESIS + dt.timedelta(days=1))
        assert hash_down(found.value, found.proof["hashes_to_anchor"]).hex() == found.proof["anchor"]
        assert found.proof["first_round"] <= round_number < found.proof["first_round"] + 50
    # Each value is the hash of the next one: revealing round r reveals nothing about r + 1.
    assert hashlib.sha256(beacon.value(12)).digest() == beacon.value(11)


def test_a_round_is_not_given_before_its_time() -> None:
    beacon = local()
    moment = GENESIS + dt.timedelta(seconds=100.5)
    decisive = round_after(beacon, moment)
    assert round_time(beacon, decisive) > moment >= round_time(beacon, decisive - 1)
    with pytest.raises(RoundNotYetError):
        beacon.fetch(decisive, now=moment)


def _drand(handler: httpx.MockTransport) -> DrandBeacon:
    return DrandBeacon(
        urls=["https://api.drand.test"],
        chain="52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
        genesis=dt.datetime.fromtimestamp(1692803367, tz=dt.UTC),
        period=3,
        attempts=2,
        client=httpx.Client(transport=handler, timeout=1),
    )


def test_drand_rounds_are_checked_against_their_signature() -> None:
    signature = bytes(range(48))
    good = {"round": 7, "randomness": hashlib.sha256(signature).hexdigest(), "signature": signature.hex()}
    beacon = _drand(httpx.MockTransport(lambda request: httpx.Response(200, json=good)))
    assert beacon.fetch(7, now=clock.now()).value == hashlib.sha256(signature).digest()
    forged = {**good, "randomness": "00" * 32}
    beacon = _drand(httpx.MockTransport(lambda request: httpx.Response(200, json=forged)))
    with pytest.raises(BeaconUnavailableError, match="not SHA-256"):
        beacon.fetch(7, now=clock.now())


@pytest.mark.skipif(not RECORDED.exists(), reason="no recorded drand rounds in tests/data")
def test_recorded_drand_rounds_pass_the_check() -> None:
    chains = json.loads(RECORDED.read_text(encoding="utf-8"))["chains"]
    checked = 0
    for chain, content in chains.items():
        for recorded in content["rounds"]:
            body = {key: recorded[key] for key in ("round", "randomness", "signature") if key in recorded}
            beacon = _drand(httpx.MockTransport(lambda request, body=body: httpx.Response(200, json=body)))
            beacon.chain = chain
            found = beacon.fetch(recorded["round"], now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
            assert found.value.hex() == recorded["randomness"]
            checked += 1
    assert checked >= 3


def test_an_unreachable_beacon_leaves_the_draw_pending_with_the_reason(court5: Court5, register: Register) -> None:
    calls = []

    def down(request: httpx.Request) -> httpx.Response:
        calls.append(request.url)
        raise httpx.ConnectTimeout("timed out", request=request)

    beacon = _drand(httpx.MockTransport(down))
    case = register()  # drawn by the local beacon; now a second case meets drand being down
    draw = latest_draw(case)
    assert draw.status == DrawStatus.DRAWN
    with clock.frozen_at(FILED + dt.timedelta(hours=1)):
        from torelik.cases.actions import register_case
        from torelik.cases.tests.factories import claim_document
        from torelik.courts.tests.factories import next_iin
        from torelik.distribution.tests.conftest import other_parties

        second = register_case(
            court=court5.office.court,
            proceeding_type="civil",
            category_code=court5.office.category.code,
            parties=other_parties(next_iin()),
            documents=[claim_document()],
            actor=court5.office.clerk,
        )
        pending = actions.commit_draw(second, beacon=beacon)
    with clock.frozen_at(FILED + dt.timedelta(hours=1, minutes=1)):
        pending = actions.complete_draw(pending, beacon=beacon)
    assert pending.status == DrawStatus.COMMITTED
    assert "ConnectTimeout" in pending.last_error
    assert len(calls) == 2  # retried once, then left pending
    second.refresh_from_db()
    assert second.judge is None
