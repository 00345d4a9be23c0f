"""Public randomness beacons behind one interface.

`LocalBeacon` (the embedded default): hash chains published in advance. The rounds are cut into
segments of `segment_length`; the values of segment k are v_L, v_(L-1) = SHA-256(v_L), …, v_0 =
the anchor, with v_L derived from the operator's secret. Round r is value v_i of its segment
(i = 1 for the first round of the segment), revealed at its time; anyone checks it by hashing i
times and comparing with the anchor, which is published before the segment is used. It binds the
operator to every value of a segment from the moment the anchor is published, but the operator
knows them in advance: production uses drand or a beacon run by a body independent of the courts.

`DrandBeacon`: the League of Entropy's drand over HTTP (`/{chain}/public/{round}`); the value is
the round's `randomness`, which must equal SHA-256 of its BLS signature.
"""

import datetime as dt
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

logger = logging.getLogger(__name__)


class BeaconError(Exception):
    """The beacon could not give the round (yet): the draw stays pending and is retried."""


class RoundNotYetError(BeaconError):
    pass


class BeaconUnavailableError(BeaconError):
    pass


@dataclass(frozen=True)
class BeaconRound:
    beacon: str
    chain: str
    round: int
    value: bytes
    proof: dict[str, Any] = field(default_factory=dict)


class Beacon(Protocol):
    name: str
    chain: str
    genesis: dt.datetime
    period: int

    def fetch(self, round_number: int, *, now: dt.datetime) -> BeaconRound: ...


def wall_clock() -> dt.datetime:
    """The machine's own clock, never frozen: when a beacon value may be revealed at the earliest."""
    return dt.datetime.now(dt.UTC)


def round_after(beacon: Beacon, moment: dt.datetime) -> int:
    """The first round whose time is strictly after `moment` (drand numbers rounds from 1 at genesis)."""
    elapsed = (moment - beacon.genesis).total_seconds()
    if elapsed < 0:
        return 1
    return int(elapsed // beacon.period) + 2


def round_time(beacon: Beacon, round_number: int) -> dt.datetime:
    return beacon.genesis + dt.timedelta(seconds=(round_number - 1) * beacon.period)


def hash_down(value: bytes, times: int) -> bytes:
    for _ in range(times):
        value = hashlib.sha256(value).digest()
    return value


@dataclass(frozen=True)
class Segment:
    index: int
    first_round: int
    last_round: int
    anchor: bytes


class LocalBeacon:
    name = "local"

    def __init__(
        self, *, secret: bytes, genesis: dt.datetime, period: int = 1, segment_length: int = 600, chain: str = ""
    ) -> None:
        if not secret:
            raise ValueError("the local beacon needs a secret (TORELIK_BEACON_SECRET)")
        self._secret = secret
        self.genesis = genesis
        self.period = period
        self.segment_length = segment_length
        # The chain is named by what it commits to publicly: its parameters and the first anchor.
        self.chain = chain or "local-" + self.segment(0).anchor.hex()[:16]

    def _top(self, index: int) -> bytes:
        return hmac.new(self._secret, f"torelik-beacon segment {index}".encode(), hashlib.sha256).digest()

    def segment(self, index: int) -> Segment:
        first = index * self.segment_length + 1
        anchor = hash_down(self._top(index), self.segment_length)
        return Segment(index=index, first_round=first, last_round=first + self.segment_length - 1, anchor=anchor)

    def segment_of(self, round_number: int) -> int:
        return (round_number - 1) // self.segment_length

    def value(self, round_number: int) -> bytes:
        position = (round_number - 1) % self.segment_length + 1
        return hash_down(self._top(self.segment_of(round_number)), self.segment_length - position)

    def fetch(self, round_number: int, *, now: dt.datetime) -> BeaconRound:
        """The round's value, once its time has come on the caller's clock **and** on the wall clock.

        A value reveals every earlier value of its segment (they hash down from it), so a round is
        never given out early, not even to a caller whose clock is frozen in the future (a replay of
        history, a demo seeder): what a real beacon service would not answer yet, this one does not."""
        due = round_time(self, round_number)
        if due > now or due > wall_clock():
            raise RoundNotYetError(f"round {round_number} is not public before {due}")
        segment = self.segment(self.segment_of(round_number))
        return BeaconRound(
            beacon=self.name,
            chain=self.chain,
            round=round_number,
            value=self.value(round_number),
            proof={
                "anchor": segment.anchor.hex(),
                "segment": segment.index,
                "first_round": segment.first_round,
                "hashes_to_anchor": round_number - segment.first_round + 1,
            },
        )


class DrandBeacon:
    name = "drand"

    def __init__(
        self,
        *,
        urls: list[str],
        chain: str,
        genesis: dt.datetime,
        period: int,
        timeout: float = 5.0,
        attempts: int = 3,
        client: httpx.Client | None = None,
    ) -> None:
        self.urls = urls
        self.chain = chain
        self.genesis = genesis
        self.period = period
        self.timeout = timeout
        self.attempts = attempts
        self._client = client

    def fetch(self, round_number: int, *, now: dt.datetime) -> BeaconRound:
        if round_time(self, round_number) > now:
            raise RoundNotYetError(f"drand round {round_number} is not out yet")
        failures: list[str] = []
        client = self._client or httpx.Client(timeout=self.timeout)
        try:
            for attempt in range(self.attempts):
                for url in self.urls:
                    try:
                        response = client.get(f"{url.rstrip('/')}/{self.chain}/public/{round_number}")
                    except httpx.HTTPError as error:
                        failures.append(f"{url}: {error.__class__.__name__}")
                        continue
                    if response.status_code == 200:
                        try:
                            body = response.json()
                        except ValueError:
                            failures.append(f"{url}: not JSON")
                            continue
                        return parse_drand_round(body, chain=self.chain, round_number=round_number)
                    failures.append(f"{url}: HTTP {response.status_code}")
                if attempt + 1 < self.attempts:
                    time.sleep(min(2**attempt * 0.5, 4.0))
        finally:
            if self._client is None:
                client.close()
        raise BeaconUnavailableError(f"drand round {round_number} unavailable: {'; '.join(failures)}")


def parse_drand_round(data: dict[str, Any], *, chain: str, round_number: int) -> BeaconRound:
    if not isinstance(data, dict):
        raise BeaconUnavailableError("drand answered something that is not a round")
    try:
        got_round = int(data["round"])
        randomness = bytes.fromhex(str(data["randomness"]))
        signature = bytes.fromhex(str(data["signature"]))
    except (KeyError, TypeError, ValueError) as error:
        raise BeaconUnavailableError(f"drand answered something that is not a round: {error}") from error
    if got_round != round_number:
        raise BeaconUnavailableError(f"drand answered round {got_round} for round {round_number}")
    if hashlib.sha256(signature).digest() != randomness:
        raise BeaconUnavailableError(f"drand round {round_number}: randomness is not SHA-256 of the signature")
    proof = {"signature": signature.hex()}
    if data.get("previous_signature"):
        proof["previous_signature"] = str(data["previous_signature"])
    return BeaconRound(beacon="drand", chain=chain, round=round_number, value=randomness, proof=proof)
