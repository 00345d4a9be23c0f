#!/usr/bin/env python3
"""Check a Torelik distribution protocol (algorithm assign/v1) with nothing but Python's standard library.

    python3 verify_distribution.py PROTOCOL.json [--anchors ANCHORS.json]

PROTOCOL.json is what `GET /api/v1/cases/{number}/distribution` returns (one protocol, or
{"draws": [...]}); ANCHORS.json what `GET /api/v1/distribution/anchors` returns, to check a local
beacon's value against the anchor published before use. Prints VALID, or each field that does not
match; exits 0 when every protocol is valid, 1 otherwise, 2 on unreadable input.

This is an independent implementation of docs/distribution.md: it shares no code with Torelik.
"""

import argparse
import datetime as dt
import hashlib
import hmac
import json
import sys
from fractions import Fraction
from typing import Any

PREFIX = b"torelik-assign/v1\x00"
WINDOW = 365


class NotCanonicalError(ValueError):
    pass


def jcs(value: Any) -> str:
    """RFC 8785 for what protocols contain: objects, arrays, strings, integers, booleans, null."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise NotCanonicalError("a protocol never holds fractional numbers")
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + jcs(value[k]) for k in keys) + "}"
    raise NotCanonicalError(f"unexpected value of type {type(value).__name__}")


class Stream:
    def __init__(self, seed: bytes) -> None:
        self.seed, self.counter, self.left = seed, 0, b""

    def u64(self) -> int:
        if not self.left:
            self.left = hmac.new(self.seed, self.counter.to_bytes(8, "big"), hashlib.sha256).digest()
            self.counter += 1
        value, self.left = int.from_bytes(self.left[:8], "big"), self.left[8:]
        return value

    def below(self, n: int) -> int:
        limit = (1 << 64) - (1 << 64) % n
        while True:
            x = self.u64()
            if x < limit:
                return x % n


def key(judge: dict[str, Any]) -> Fraction:
    return Fraction(judge["load"] * WINDOW, judge["days_present"] * judge["rate"])


def pick(pool: list[dict[str, Any]], stream: Stream) -> dict[str, Any]:
    target = stream.below(sum(j["rate"] for j in pool))
    for judge in pool:
        if target < judge["rate"]:
            return judge
        target -= judge["rate"]
    raise AssertionError("unreachable")


def verify(protocol: dict[str, Any], anchors: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    """What does not match; a malformed field is named rather than crashing."""
    try:
        return _verify(protocol, anchors)
    except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError) as error:
        return [f"malformed protocol: {type(error).__name__}: {error}"]


def _timing(snapshot: dict[str, Any]) -> list[str]:
    beacon = snapshot["beacon"]
    committed = dt.datetime.fromisoformat(snapshot["committed_at"].replace("Z", "+00:00"))
    decided = dt.datetime.fromisoformat(beacon["round_time"].replace("Z", "+00:00"))
    genesis = dt.datetime.fromisoformat(beacon["genesis"].replace("Z", "+00:00"))
    problems = []
    if decided != genesis + dt.timedelta(seconds=(int(beacon["round"]) - 1) * int(beacon["period"])):
        problems.append("snapshot.beacon.round_time: not the time of that round")
    skipped = beacon.get("skipped_segments")
    if skipped:
        # Local beacon: segments whose later values were out already are passed over; the round is
        # then the first one of the next segment.
        length = beacon.get("segment_length")
        elapsed = max((committed - genesis).total_seconds(), -1.0)
        first = 1 if elapsed < 0 else int(elapsed // int(beacon["period"])) + 2
        start = (first - 1) // length if isinstance(length, int) and length > 0 else -1
        if (
            beacon.get("name") != "local"
            or start < 0
            or skipped != list(range(start, start + len(skipped)))
            or int(beacon["round"]) != (skipped[-1] + 1) * length + 1
        ):
            problems.append("snapshot.beacon.round: not the first round of the segment after those passed over")
    elif not decided - dt.timedelta(seconds=int(beacon["period"])) <= committed < decided:
        problems.append("snapshot.beacon.round: not the first round after the commitment")
    return problems


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _published_in_time(protocol: dict[str, Any], anchor: dict[str, Any] | None) -> list[str]:
    """The protocol is published (drawn) no earlier than its round's time: a beacon value out before
    its time makes the draw predictable. A local beacon's anchor is published no later than the
    commitment that used its segment."""
    snapshot = protocol["snapshot"]
    decided = _when(snapshot["beacon"]["round_time"])
    problems = []
    if not protocol.get("drawn_at") or _when(protocol["drawn_at"]) < decided:
        problems.append(
            f"drawn_at: the protocol was published ({protocol.get('drawn_at')}) before its round's time "
            f"({snapshot['beacon']['round_time']})"
        )
    if (
        anchor is not None
        and anchor.get("published_at")
        and _when(anchor["published_at"]) > _when(snapshot["committed_at"])
    ):
        problems.append("beacon.proof.anchor: published after the commitment that used its segment")
    return problems


def _verify(protocol: dict[str, Any], anchors: dict[tuple[str, int], dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    snapshot = protocol.get("snapshot")
    if not isinstance(snapshot, dict):
        return ["snapshot: missing"]
    try:
        digest = hashlib.sha256(jcs(snapshot).encode()).hexdigest()
    except NotCanonicalError as error:
        return [f"snapshot: {error}"]
    if digest != protocol.get("snapshot_sha256"):
        problems.append(
            f"snapshot_sha256: the snapshot hashes to {digest}, the protocol says {protocol.get('snapshot_sha256')}"
        )
    if snapshot.get("algorithm") != "assign/v1":
        problems.append(f"snapshot.algorithm: {snapshot.get('algorithm')!r} is not assign/v1")
    if protocol.get("case") != snapshot.get("case", {}).get("number"):
        problems.append("case: differs from snapshot.case.number")
    for judge in snapshot.get("judges", []):
        if judge.get("eligible") != (judge.get("exclusion") is None):
            problems.append(f"snapshot.judges[{judge.get('judge')}]: eligible and exclusion disagree")
        if judge.get("eligible") and not (isinstance(judge.get("rate"), int) and judge["rate"] > 0):
            problems.append(f"snapshot.judges[{judge.get('judge')}].rate: must be a positive integer")
        if judge.get("eligible") and not (isinstance(judge.get("days_present"), int) and judge["days_present"] > 0):
            problems.append(f"snapshot.judges[{judge.get('judge')}].days_present: must be a positive integer")
    problems += _timing(snapshot)
    if protocol.get("status") != "drawn":
        if protocol.get("result") or protocol.get("seed") or protocol.get("picks"):
            problems.append("status: not drawn, yet a result is given")
        return problems  # only the commitment exists yet
    if problems:
        return problems
    beacon = protocol.get("beacon", {})
    committed = snapshot.get("beacon", {})
    anchor = anchors.get((beacon.get("chain", ""), beacon.get("proof", {}).get("segment", -1)))
    problems += _published_in_time(protocol, anchor if beacon.get("name") == "local" else None)
    for field in ("name", "chain", "round"):
        if beacon.get(field) != committed.get(field):
            problems.append(f"beacon.{field}: {beacon.get(field)!r} is not the committed {committed.get(field)!r}")
    try:
        value = bytes.fromhex(beacon.get("value", ""))
    except ValueError:
        return problems + ["beacon.value: not hexadecimal"]
    proof = beacon.get("proof", {})
    if beacon.get("name") == "local":
        # The segment's first round comes from the published anchor, never from the protocol.
        published = anchors.get((beacon.get("chain", ""), proof.get("segment", -1)))
        first_round = published["first_round"] if published else proof.get("first_round", 0)
        steps = int(beacon["round"]) - int(first_round) + 1
        if published is not None and published["anchor"] != proof.get("anchor"):
            problems.append("beacon.proof.anchor: not the anchor published for this segment")
        if published is not None and not published["first_round"] <= beacon["round"] <= published["last_round"]:
            problems.append("beacon.round: not in the segment of the published anchor")
        if steps != proof.get("hashes_to_anchor"):
            problems.append("beacon.proof.hashes_to_anchor: does not match the round's place in its segment")
        reached = value
        for _ in range(max(steps, 0)):
            reached = hashlib.sha256(reached).digest()
        if reached.hex() != proof.get("anchor"):
            problems.append("beacon.value: does not hash down to the segment's anchor")
    elif beacon.get("name") == "drand":
        if hashlib.sha256(bytes.fromhex(proof.get("signature", ""))).digest() != value:
            problems.append("beacon.value: is not SHA-256 of the drand signature")
    else:
        problems.append(f"beacon.name: unknown beacon {beacon.get('name')!r}")
    seed = hashlib.sha256(PREFIX + bytes.fromhex(protocol.get("snapshot_sha256", "")) + value).digest()
    if seed.hex() != protocol.get("seed"):
        problems.append(f"seed: recomputed {seed.hex()}, the protocol says {protocol.get('seed')}")
    pool = sorted((j for j in snapshot.get("judges", []) if j.get("eligible")), key=lambda j: j["judge"])
    if not pool:
        return problems + ["snapshot.judges: no eligible judge, yet a result"]
    stream = Stream(seed)
    first, second = pick(pool, stream), pick(pool, stream)
    tie = False
    if first is second or key(first) < key(second):
        result = first
    elif key(second) < key(first):
        result = second
    else:
        tie, result = True, (first, second)[stream.below(2)]
    if protocol.get("picks") != [first["judge"], second["judge"]]:
        problems.append(
            f"picks: recomputed {[first['judge'], second['judge']]}, the protocol says {protocol.get('picks')}"
        )
    if protocol.get("tie_break") != tie:
        problems.append(f"tie_break: recomputed {tie}")
    if protocol.get("result") != result["judge"]:
        problems.append(f"result: recomputed {result['judge']}, the protocol says {protocol.get('result')}")
    total = sum(j["rate"] for j in pool)
    expected = {}
    for mine in pool:
        p = Fraction(mine["rate"], total)
        chance = p * p
        for other in pool:
            if other is not mine and key(other) > key(mine):
                chance += 2 * p * Fraction(other["rate"], total)
            elif other is not mine and key(other) == key(mine):
                chance += p * Fraction(other["rate"], total)
        expected[mine["judge"]] = f"{chance.numerator}/{chance.denominator}"
    if protocol.get("probabilities") != expected:
        problems.append("probabilities: differ from the ones recomputed from the snapshot")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("protocol")
    parser.add_argument("--anchors")
    args = parser.parse_args(argv)
    try:
        with open(args.protocol, encoding="utf-8") as handle:
            data = json.load(handle)
        anchors: dict[tuple[str, int], dict[str, Any]] = {}
        if args.anchors:
            with open(args.anchors, encoding="utf-8") as handle:
                for item in json.load(handle).get("items", []):
                    anchors[(item["chain"], item["segment"])] = item
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot read input: {error}", file=sys.stderr)
        return 2
    protocols = data.get("draws", [data]) if isinstance(data, dict) else data
    if not isinstance(protocols, list) or not all(isinstance(p, dict) for p in protocols):
        print("cannot read input: not a protocol", file=sys.stderr)
        return 2
    valid = True
    for protocol in protocols:
        label = f"{protocol.get('case')} #{protocol.get('attempt')}"
        problems = verify(protocol, anchors)
        if problems:
            valid = False
            print(f"{label}: INVALID")
            for problem in problems:
                print(f"  {problem}")
        elif protocol.get("status") != "drawn":
            print(f"{label}: commitment VALID, not drawn yet ({protocol.get('status')})")
        elif protocol.get("beacon", {}).get("name") == "local" and not anchors:
            print(f"{label}: VALID as far as it goes; the local beacon's anchor was not checked (pass --anchors)")
        else:
            print(f"{label}: VALID")
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
