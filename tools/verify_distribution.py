#!/usr/bin/env python3
"""Check a Torelik distribution protocol (algorithm assign/v1) with nothing but Python's standard library.

    python3 verify_distribution.py PROTOCOLS.json [--anchors ANCHORS.json] [--log-key KEY] [--complete]

PROTOCOLS.json is what `GET /api/v1/cases/{number}/distribution` returns ({"draws": [...]}), a page
of `GET /api/v1/distribution/protocols` ({"items": [...]}), one protocol or a list of them;
ANCHORS.json what `GET /api/v1/distribution/anchors` returns, to check a local beacon's value against
the anchor published before use; KEY the transparency log's verifier key (`GET /api/v1/log/key`,
better obtained from somewhere other than the protocols themselves), to check the checkpoint's
signature. `--complete`: the protocols given are all of their courts' draws, so every judge's load
must equal (not only be at least) what the earlier protocols add up to.

Checks each protocol: the snapshot's hash, that it is well formed (judges sorted by id, weight =
complexity x 100, known exclusion codes, the pool rule consistent with who is eligible), the round
(the first after `beacon.after`), the beacon's value, the seed, picks, result and probabilities;
that the commitment is an entry of the transparency log, proven by its inclusion proof in a signed
checkpoint, and that this checkpoint was signed before the beacon round's time; across the
protocols given, that each judge's load is consistent with the draws before it.

Exit status: 0 every protocol valid and everything checked; 1 some protocol invalid; 2 unreadable
input; 3 valid as far as checked, but a local beacon's anchor or the log's signature could not be
checked (pass --anchors and --log-key).

This is an independent implementation of docs/distribution.md: it shares no code with Torelik.
"""

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tlog  # noqa: E402 - the standard-library log checks beside this script

PREFIX = b"torelik-assign/v1\x00"
WINDOW = 365
EXCLUSIONS = {
    "not_in_office",
    "not_participating",
    "recusal",
    "conflict_of_interest",
    "earlier_involvement",
    "absence",
    "specialisation",
    "refiling_rule",
}
POOL_RULES = {"refiling", "specialisation", "widened_to_all_specialisations", "small_court", "waiting"}
MIN_POOL = 3


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


def _shape(snapshot: dict[str, Any], status: str) -> list[str]:
    """What the snapshot itself proves: the judges in the order of the draw, the weight from the
    complexity, known exclusion codes, and a pool rule that fits who is eligible (docs/distribution.md 2)."""
    problems = []
    judges = snapshot.get("judges", [])
    if [j["judge"] for j in judges] != sorted(j["judge"] for j in judges):
        problems.append("snapshot.judges: not sorted by judge id")
    case = snapshot.get("case", {})
    if int(Decimal(str(case.get("complexity"))) * 100) != case.get("weight"):
        problems.append("snapshot.case.weight: not complexity x 100")
    for judge in judges:
        if judge.get("exclusion") is not None and judge["exclusion"] not in EXCLUSIONS:
            problems.append(f"snapshot.judges[{judge['judge']}].exclusion: unknown code {judge['exclusion']!r}")
    rule = snapshot.get("pool_rule")
    eligible = [j for j in judges if j.get("eligible")]
    serving = [j for j in judges if j.get("exclusion") != "not_in_office" and j.get("rate", 0) > 0]
    fits = {
        "refiling": len(eligible) == 1 and bool((snapshot.get("refiling") or {}).get("applied")),
        "specialisation": len(eligible) >= MIN_POOL,
        "widened_to_all_specialisations": len(eligible) >= MIN_POOL
        and not any(j.get("exclusion") == "specialisation" for j in judges),
        "small_court": 0 < len(eligible) < MIN_POOL and len(serving) < MIN_POOL,
        "waiting": status == "waiting",
    }
    if rule not in POOL_RULES:
        problems.append(f"snapshot.pool_rule: unknown rule {rule!r}")
    elif not fits[rule]:
        problems.append(f"snapshot.pool_rule: {rule} does not fit {len(eligible)} eligible judge(s)")
    return problems


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_log(protocol: dict[str, Any], log_key: str | None) -> tuple[list[str], bool]:
    """That the commitment is in the transparency log, proven in a checkpoint signed before the round.
    Returns the problems and whether the checkpoint's signature was checked with a key given."""
    log = protocol.get("log")
    if not isinstance(log, dict) or "checkpoint" not in log:
        waiting = protocol.get("status") in ("committed", "waiting")
        state = log.get("status") if isinstance(log, dict) else "absent"
        return ([] if waiting else [f"log: the commitment is not proven in a checkpoint ({state})"]), True
    problems = []
    entry = json.loads(log["entry"])
    snapshot = protocol["snapshot"]
    if entry.get("kind") != "distribution_commitment" or entry.get("snapshot_sha256") != protocol.get(
        "snapshot_sha256"
    ):
        problems.append("log.entry: not the commitment of this snapshot")
    if entry.get("attempt") != protocol.get("attempt") or entry.get("case", {}).get("number") != protocol.get("case"):
        problems.append("log.entry: not the commitment of this case and attempt")
    if entry.get("beacon", {}).get("round") != snapshot["beacon"]["round"]:
        problems.append("log.entry: names another beacon round")
    leaf = tlog.leaf_hash(log["entry"].encode())
    if leaf.hex() != log.get("leaf_hash"):
        problems.append("log.leaf_hash: not SHA-256(0x00 || entry)")
    checkpoint = tlog.parse_checkpoint(log["checkpoint"])
    proof = [base64.b64decode(h) for h in log.get("inclusion_proof", [])]
    if tlog.root_from_inclusion(int(log["index"]), checkpoint.size, leaf, proof) != checkpoint.root:
        problems.append("log.inclusion_proof: does not lead to the checkpoint's root hash")
    key = log_key or log.get("log_key", "")
    if not key or not tlog.signed_by(checkpoint, key):
        problems.append("log.checkpoint: not signed by the log's key")
    if checkpoint.time >= int(_moment(snapshot["beacon"]["round_time"]).timestamp()):
        problems.append("log.checkpoint: signed after the beacon round (the commitment is not proven in time)")
    return problems, log_key is not None


def check_loads(protocols: list[dict[str, Any]], complete: bool) -> dict[int, list[str]]:
    """Each judge's load in a snapshot against the weights of the drawn protocols given, in the year
    before the filing and drawn before the commitment, not replaced by a later draw before it: at least
    that much (equal with `complete`). Problems by position in `protocols`."""
    drawn = [p for p in protocols if p.get("status") == "drawn" and p.get("drawn_at") and p.get("result")]
    replaced: dict[tuple[str, int], dt.datetime] = {}
    for p in protocols:
        previous = p["snapshot"].get("previous")
        if previous:
            replaced[(p["case"], previous["attempt"])] = _moment(p["snapshot"]["committed_at"])
    problems: dict[int, list[str]] = {}
    for position, p in enumerate(protocols):
        snapshot = p["snapshot"]
        committed, filed = _moment(snapshot["committed_at"]), _moment(snapshot["case"]["filed_at"])
        court = snapshot["case"]["court"]
        for judge in snapshot["judges"]:
            counted = sum(
                d["snapshot"]["case"]["weight"]
                for d in drawn
                if d["result"] == judge["judge"]
                and d["snapshot"]["case"]["court"] == court
                and d["case"] != p["case"]
                and filed - dt.timedelta(days=WINDOW) <= _moment(d["drawn_at"]) < committed
                and not replaced.get((d["case"], d["attempt"]), committed + dt.timedelta(1)) <= committed
            )
            if judge["load"] < counted or (complete and judge["load"] != counted):
                problems.setdefault(position, []).append(
                    f"snapshot.judges[{judge['judge']}].load: {judge['load']}, the earlier protocols add up to {counted}"
                )
    return problems


def _timing(snapshot: dict[str, Any]) -> list[str]:
    beacon = snapshot["beacon"]
    # The round is the first after `beacon.after` (the commitment plus the margin the transparency log
    # needs to sign a checkpoint of it first); protocols made before the log: the commitment itself.
    committed = dt.datetime.fromisoformat(beacon.get("after", snapshot["committed_at"]).replace("Z", "+00:00"))
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
    if committed < dt.datetime.fromisoformat(snapshot["committed_at"].replace("Z", "+00:00")):
        problems.append("snapshot.beacon.after: before the commitment")
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
    problems += _shape(snapshot, str(protocol.get("status")))
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


def _protocols(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        data = data.get("draws", data.get("items", [data]))
    if not isinstance(data, list) or not all(isinstance(p, dict) for p in data):
        raise ValueError("not a protocol, a case's protocols or a page of them")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("protocol")
    parser.add_argument("--anchors")
    parser.add_argument("--log-key", help="the transparency log's verifier key (text, or a file holding it)")
    parser.add_argument("--complete", action="store_true", help="the protocols are all of their courts' draws")
    args = parser.parse_args(argv)
    try:
        with open(args.protocol, encoding="utf-8") as handle:
            protocols = _protocols(json.load(handle))
        anchors: dict[tuple[str, int], dict[str, Any]] = {}
        if args.anchors:
            with open(args.anchors, encoding="utf-8") as handle:
                listed = json.load(handle)
                for item in listed.get("items", []) if isinstance(listed, dict) else listed:
                    anchors[(item["chain"], item["segment"])] = item
        log_key = args.log_key
        if log_key and Path(log_key).is_file():
            log_key = Path(log_key).read_text(encoding="utf-8").strip()
        if log_key:
            tlog.parse_key(log_key)
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot read input: {error}", file=sys.stderr)
        return 2
    loads = check_loads(protocols, args.complete) if all("snapshot" in p for p in protocols) else {}
    valid, unchecked = True, False
    for position, protocol in enumerate(protocols):
        label = f"{protocol.get('case')} #{protocol.get('attempt')}"
        problems = verify(protocol, anchors) + loads.get(position, [])
        try:
            log_problems, key_given = check_log(protocol, log_key)
        except (KeyError, TypeError, ValueError) as error:
            log_problems, key_given = [f"log: malformed: {error}"], True
        problems += log_problems
        notes = []
        if protocol.get("beacon", {}).get("name") == "local" and protocol.get("status") == "drawn" and not anchors:
            notes.append("the local beacon's anchor was not checked (pass --anchors)")
        if not key_given:
            notes.append("the checkpoint's signature was checked only with the key the protocol names (pass --log-key)")
        if problems:
            valid = False
            print(f"{label}: INVALID")
            for problem in problems:
                print(f"  {problem}")
        elif protocol.get("status") != "drawn":
            print(f"{label}: commitment VALID, not drawn yet ({protocol.get('status')})")
        elif notes:
            unchecked = True
            print(f"{label}: VALID as far as it goes; " + "; ".join(notes))
        else:
            print(f"{label}: VALID")
    if not valid:
        return 1
    return 3 if unchecked else 0


if __name__ == "__main__":
    sys.exit(main())
