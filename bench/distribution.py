"""The draw of `assign/v1`: how fast, and how even.

(a) The draw for a pool of 50 judges (seed, two picks, exact probabilities), without waiting for
    the beacon: p50/p95 over 2,000 draws. Target: p95 under 20 ms.
(b) The simulated courts of `torelik simulate-distribution`: 5, 20 and 50 judges with 150 and 400
    weighted cases per judge: coefficient of variation of load, max/min and the highest single
    chance against 2/n. Targets: CV at most 2 %, max/min at most 1.05, chance at most 2/n.

Pure computation: no database, no server (the database work of a draw is in the case figures).
"""

import argparse
import hashlib
import time

from bench.latency import percentile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--draws", type=int, default=2000, help="draws timed for the 50-judge pool")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from torelik.distribution import algorithm
    from torelik.distribution.algorithm import Candidate
    from torelik.distribution.simulation import simulate

    print("== distribution (assign/v1)")
    pool = [Candidate(f"judge-{i:03d}", 500 if i == 0 else 1000, (i * 7919) % 30000, 300 + i % 60) for i in range(50)]
    timings = []
    for n in range(args.draws):
        started = time.perf_counter()
        seed = algorithm.seed_for(hashlib.sha256(str(n).encode()).hexdigest(), hashlib.sha256(b"beacon").digest())
        algorithm.draw(pool, seed)
        algorithm.probabilities(pool)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        f"draw for 50 judges: p50 {percentile(timings, 50):.3f} ms, p95 {percentile(timings, 95):.3f} ms "
        f"(target p95 < 20 ms) over {args.draws} draws"
    )
    for judges in (5, 20, 50):
        for per_judge in (150, 400):
            result = simulate(judges=judges, cases=judges * per_judge, seed=1)
            print(
                f"simulation {judges} judges, {result.weighted_per_judge:.0f} weighted cases per share: "
                f"CV {result.load_cv * 100:.2f} %, max/min {result.max_min:.4f}, "
                f"highest chance {result.highest_chance:.4f} (2/n {result.bound:.4f})"
            )
