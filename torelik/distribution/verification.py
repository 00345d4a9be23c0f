"""Re-run a recorded draw from its protocol and say what, if anything, does not match."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from torelik.core.canonical import canonical
from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate, sha256_hex
from torelik.distribution.beacons import hash_down
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus


@dataclass
class Verdict:
    draw: Draw
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def _timing(snapshot: dict[str, Any]) -> list[str]:
    """The deciding round is the first one after `beacon.after` (the commitment plus the log's margin;
    protocols made before the log had no margin: the commitment itself), or (local beacon) the first
    round of the next segment when the protocol names the segments passed over because later values
    of them were out already (issue #30)."""
    beacon = snapshot["beacon"]
    committed = dt.datetime.fromisoformat(beacon.get("after", snapshot["committed_at"]))
    decided = dt.datetime.fromisoformat(beacon["round_time"])
    genesis = dt.datetime.fromisoformat(beacon["genesis"])
    problems = []
    expected = genesis + dt.timedelta(seconds=(beacon["round"] - 1) * beacon["period"])
    if decided != expected:
        problems.append("snapshot.beacon.round_time: not the time of that round")
    skipped = beacon.get("skipped_segments")
    if skipped:
        length = beacon.get("segment_length")
        first = int((committed - genesis).total_seconds() // beacon["period"]) + 2 if committed >= genesis else 1
        start = (first - 1) // length if isinstance(length, int) and length > 0 else -1
        if (
            beacon["name"] != "local"
            or start < 0
            or skipped != list(range(start, start + len(skipped)))
            or beacon["round"] != (skipped[-1] + 1) * length + 1
        ):
            problems.append("snapshot.beacon.round: not the first round of the segment after those passed over")
    elif not decided - dt.timedelta(seconds=beacon["period"]) <= committed < decided:
        problems.append("snapshot.beacon.round: not the first round after the commitment")
    if committed < dt.datetime.fromisoformat(snapshot["committed_at"]):
        problems.append("snapshot.beacon.after: before the commitment")
    return problems


def _published_in_time(protocol: dict[str, Any], published: BeaconAnchor | None) -> list[str]:
    """A value is published (the protocol drawn) no earlier than its round's time, and a local
    beacon's anchor no later than the commitment that used its segment."""
    snapshot = protocol["snapshot"]
    problems = []
    drawn_at = protocol.get("drawn_at")
    decided = dt.datetime.fromisoformat(snapshot["beacon"]["round_time"])
    if not drawn_at or dt.datetime.fromisoformat(drawn_at) < decided:
        problems.append(
            f"drawn_at: the protocol was published ({drawn_at}) before its round's time ({decided.isoformat()})"
        )
    if published is not None and published.published_at > dt.datetime.fromisoformat(snapshot["committed_at"]):
        problems.append("beacon.proof.anchor: published after the commitment that used its segment")
    return problems


def check_protocol(protocol: dict[str, Any], *, published: BeaconAnchor | None) -> list[str]:
    problems = []
    snapshot = protocol["snapshot"]
    digest = sha256_hex(canonical(snapshot))
    if digest != protocol["snapshot_sha256"]:
        problems.append(f"snapshot_sha256: the snapshot hashes to {digest}")
    problems += _timing(snapshot)
    if protocol["status"] != DrawStatus.DRAWN:
        if protocol.get("result") or protocol.get("seed") or protocol.get("picks"):
            problems.append("status: not drawn, yet a result is given")
        return problems
    beacon = protocol["beacon"]
    problems.extend(
        f"beacon.{name}: not the committed one"
        for name in ("name", "chain", "round")
        if beacon[name] != snapshot["beacon"][name]
    )
    problems += _published_in_time(protocol, published)
    value = bytes.fromhex(beacon["value"])
    proof = beacon["proof"]
    if beacon["name"] == "local":
        if published is None or published.anchor != proof["anchor"]:
            problems.append("beacon.proof.anchor: not the anchor published for this segment")
        elif not published.first_round <= beacon["round"] <= published.last_round:
            problems.append("beacon.round: not in the segment of the published anchor")
        elif proof["hashes_to_anchor"] != beacon["round"] - published.first_round + 1:
            problems.append("beacon.proof.hashes_to_anchor: does not match the round's place in its segment")
        elif hash_down(value, proof["hashes_to_anchor"]).hex() != proof["anchor"]:
            problems.append("beacon.value: does not hash down to the segment's anchor")
    elif hashlib.sha256(bytes.fromhex(proof.get("signature", ""))).digest() != value:
        problems.append("beacon.value: is not SHA-256 of the drand signature")
    seed = algorithm.seed_for(protocol["snapshot_sha256"], value)
    if seed.hex() != protocol["seed"]:
        problems.append("seed: does not follow from the snapshot hash and the beacon value")
    candidates = [
        Candidate(judge=j["judge"], rate=j["rate"], load=j["load"], days_present=j["days_present"])
        for j in snapshot["judges"]
        if j["eligible"]
    ]
    result = algorithm.draw(candidates, seed)
    if list(result.picks) != protocol["picks"] or result.tie_break != protocol["tie_break"]:
        problems.append("picks: differ from the recomputed draw")
    if result.result != protocol["result"]:
        problems.append(f"result: the draw gives {result.result}")
    chances = {k: algorithm.fraction_text(v) for k, v in algorithm.probabilities(candidates).items()}
    if chances != protocol["probabilities"]:
        problems.append("probabilities: differ from the recomputed ones")
    return problems


def verify_draw(draw: Draw) -> Verdict:
    published = None
    if draw.beacon == "local" and draw.beacon_round:
        published = BeaconAnchor.objects.filter(
            chain=draw.beacon_chain, first_round__lte=draw.beacon_round, last_round__gte=draw.beacon_round
        ).first()
    return Verdict(draw=draw, problems=check_protocol(draw.protocol(), published=published))
