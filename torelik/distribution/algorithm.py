"""The draw of `assign/v1`, free of Django and the database: the snapshot's commitment (RFC 8785 by
`core.canonical`, and SHA-256), the seed, the counter stream, integer sampling, the "power of two
choices" pick and the exact probabilities. `docs/distribution.md` is the specification;
`tools/verify_distribution.py` is an independent implementation of it.
"""

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

ALGORITHM = "assign/v1"
SEED_PREFIX = b"torelik-assign/v1\x00"
DAYS_IN_WINDOW = 365
_TWO_TO_64 = 1 << 64


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Candidate:
    """An eligible judge as the snapshot states it: participation rate in thousandths, load in
    hundredths of a complexity unit over the window, days present in the window."""

    judge: str
    rate: int
    load: int
    days_present: int

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.days_present <= 0 or self.load < 0:
            raise ValueError(f"candidate {self.judge}: rate and days present must be positive, load not negative")

    @property
    def key(self) -> Fraction:
        """Load per day present per unit of participation: the lower, the more cases the judge is due."""
        return Fraction(self.load * DAYS_IN_WINDOW, self.days_present * self.rate)


@dataclass(frozen=True)
class DrawResult:
    picks: tuple[str, str]
    result: str
    tie_break: bool


def seed_for(snapshot_sha256: str, beacon_value: bytes) -> bytes:
    """seed = SHA-256("torelik-assign/v1\\0" || snapshot hash (32 bytes) || beacon value)."""
    return hashlib.sha256(SEED_PREFIX + bytes.fromhex(snapshot_sha256) + beacon_value).digest()


class Stream:
    """Unsigned 64-bit integers from HMAC-SHA256(seed, counter): block i is the HMAC of the 8-byte
    big-endian counter i; each block gives four integers, big-endian, in order."""

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._counter = 0
        self._buffer = b""

    def next_u64(self) -> int:
        if not self._buffer:
            self._buffer = hmac.new(self._seed, self._counter.to_bytes(8, "big"), hashlib.sha256).digest()
            self._counter += 1
        value, self._buffer = int.from_bytes(self._buffer[:8], "big"), self._buffer[8:]
        return value

    def below(self, n: int) -> int:
        """A uniform integer in [0, n) by rejection sampling (no modulo bias)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _TWO_TO_64 - _TWO_TO_64 % n
        while True:
            value = self.next_u64()
            if value < limit:
                return value % n


def _weighted_pick(candidates: Sequence[Candidate], stream: Stream) -> Candidate:
    target = stream.below(sum(c.rate for c in candidates))
    for candidate in candidates:
        if target < candidate.rate:
            return candidate
        target -= candidate.rate
    raise AssertionError("unreachable: target below the total weight")


def ordered(candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates in the order the draw walks them: by judge identifier."""
    return sorted(candidates, key=lambda c: c.judge)


def draw(candidates: Sequence[Candidate], seed: bytes) -> DrawResult:
    """Two independent picks proportional to participation; the lower key wins; a tie between two
    different judges is broken by one more integer from the same stream (0: first pick)."""
    pool = ordered(candidates)
    if not pool:
        raise ValueError("no eligible judge")
    stream = Stream(seed)
    first, second = _weighted_pick(pool, stream), _weighted_pick(pool, stream)
    if first.judge == second.judge or first.key < second.key:
        return DrawResult(picks=(first.judge, second.judge), result=first.judge, tie_break=False)
    if second.key < first.key:
        return DrawResult(picks=(first.judge, second.judge), result=second.judge, tie_break=False)
    winner = (first, second)[stream.below(2)]
    return DrawResult(picks=(first.judge, second.judge), result=winner.judge, tie_break=True)


def probabilities(candidates: Sequence[Candidate]) -> dict[str, Fraction]:
    """The exact chance of each candidate to receive the case:
    P(i) = p_i² + Σ_{key_j > key_i} 2·p_i·p_j + Σ_{j≠i, key_j = key_i} p_i·p_j, with p_i = rate_i / Σ rate.
    (Computed over the candidates grouped by key, heaviest first: O(n log n).)"""
    pool = ordered(candidates)
    total = sum(c.rate for c in pool)
    groups: dict[Fraction, int] = {}
    for candidate in pool:
        groups[candidate.key] = groups.get(candidate.key, 0) + candidate.rate
    above: dict[Fraction, int] = {}
    running = 0
    for key in sorted(groups, reverse=True):
        above[key] = running
        running += groups[key]
    chances: dict[str, Fraction] = {}
    for mine in pool:
        # p_i·(p_i + 2·Σ_{greater} p_j + Σ_{equal, j≠i} p_j), in units of rate
        weight = mine.rate + 2 * above[mine.key] + (groups[mine.key] - mine.rate)
        chances[mine.judge] = Fraction(mine.rate * weight, total * total)
    return chances


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"
