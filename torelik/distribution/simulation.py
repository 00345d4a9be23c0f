"""A court simulated with the real draw: how evenly does `assign/v1` spread the load?"""

import hashlib
import math
import time
from dataclasses import dataclass

from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate, Stream

# Complexity coefficients in hundredths and how often they come, roughly as in a district court.
COMPLEXITIES = ((50, 30), (100, 45), (150, 15), (200, 7), (300, 3))


@dataclass(frozen=True)
class SimulationResult:
    judges: int
    cases: int
    weighted_per_judge: float
    load_cv: float
    max_min: float
    highest_chance: float
    bound: float
    draw_p95_ms: float


def simulate(*, judges: int, cases: int, seed: int = 1, chairman: bool = True) -> SimulationResult:
    """`cases` cases drawn one after another among `judges` (the first a chairman at half share);
    load per unit of participation is compared at the end."""
    rates = [500 if chairman and i == 0 else 1000 for i in range(judges)]
    loads = [0] * judges
    names = [f"judge-{i:04d}" for i in range(judges)]
    index = {name: i for i, name in enumerate(names)}
    source = Stream(hashlib.sha256(f"simulation {seed}".encode()).digest())
    total_weight = sum(w for _, w in COMPLEXITIES)
    highest = 0.0
    timings = []
    for number in range(cases):
        pick = source.below(total_weight)
        weight = next(c for c, w in _cumulative() if pick < w)
        pool = [Candidate(names[i], rates[i], loads[i], algorithm.DAYS_IN_WINDOW) for i in range(judges)]
        started = time.perf_counter()
        seed_bytes = hashlib.sha256(f"{seed}/{number}".encode()).digest()
        result = algorithm.draw(pool, seed_bytes)
        chances = algorithm.probabilities(pool)
        timings.append(time.perf_counter() - started)
        highest = max(highest, float(max(chances.values())))
        loads[index[result.result]] += weight
    per_share = [load * 1000 / rate for load, rate in zip(loads, rates, strict=True)]
    mean = sum(per_share) / judges
    cv = math.sqrt(sum((x - mean) ** 2 for x in per_share) / judges) / mean if mean else 0.0
    timings.sort()
    return SimulationResult(
        judges=judges,
        cases=cases,
        weighted_per_judge=sum(loads) / 100 / (sum(rates) / 1000),
        load_cv=cv,
        max_min=max(per_share) / min(per_share) if min(per_share) else math.inf,
        highest_chance=highest,
        bound=2 / judges,
        draw_p95_ms=timings[int(len(timings) * 0.95) - 1] * 1000 if timings else 0.0,
    )


def _cumulative() -> list[tuple[int, int]]:
    running, table = 0, []
    for complexity, frequency in COMPLEXITIES:
        running += frequency
        table.append((complexity, running))
    return table
