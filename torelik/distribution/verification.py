"""Re-run a recorded draw from its protocol and say what, if anything, does not match."""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from torelik.distribution import algorithm
from torelik.distribution.actions import canonical, sha256_hex
from torelik.distribution.algorithm import Candidate
from torelik.distribution.beacons import hash_down
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus


@dataclass
class Verdict:
    draw: Draw
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def check_protocol(protocol: dict[str, Any], *, published_anchor: str | None) -> list[str]:
    problems = []
    snapshot = protocol["snapshot"]
    digest = sha256_hex(canonical(snapshot))
    if digest != protocol["snapshot_sha256"]:
        problems.append(f"snapshot_sha256: the snapshot hashes to {digest}")
    if protocol["status"] != DrawStatus.DRAWN:
        return problems
    beacon = protocol["beacon"]
    problems.extend(
        f"beacon.{name}: not the committed one"
        for name in ("name", "chain", "round")
        if beacon[name] != snapshot["beacon"][name]
    )
    value = bytes.fromhex(beacon["value"])
    proof = beacon["proof"]
    if beacon["name"] == "local":
        if hash_down(value, proof["hashes_to_anchor"]).hex() != proof["anchor"]:
            problems.append("beacon.value: does not hash down to the segment's anchor")
        if published_anchor != proof["anchor"]:
            problems.append("beacon.proof.anchor: not the anchor published for this segment")
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
    anchor = None
    proof = draw.beacon_proof or {}
    if draw.beacon == "local" and "segment" in proof:
        anchor = (
            BeaconAnchor.objects.filter(chain=draw.beacon_chain, segment=proof["segment"])
            .values_list("anchor", flat=True)
            .first()
        )
    return Verdict(draw=draw, problems=check_protocol(draw.protocol(), published_anchor=anchor))
