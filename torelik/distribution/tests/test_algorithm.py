"""The draw itself: integer sampling, the exact probabilities, the simulation targets of the issue,
and agreement with the independent standard-library verifier."""

import hashlib
import importlib.util
import sys
from collections import Counter
from fractions import Fraction
from types import ModuleType

import pytest
import rfc8785

from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate, Stream
from torelik.distribution.simulation import simulate
from torelik.distribution.tests.conftest import TOOL


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_distribution", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["verify_distribution"] = module
    spec.loader.exec_module(module)
    return module


def test_rejection_sampling_is_uniform_and_stays_in_range() -> None:
    stream = Stream(hashlib.sha256(b"uniform").digest())
    counts = Counter(stream.below(7) for _ in range(70_000))
    assert set(counts) == set(range(7))
    # chi-square with 6 degrees of freedom: 22.46 is the 0.1 % critical value
    chi2 = sum((count - 10_000) ** 2 / 10_000 for count in counts.values())
    assert chi2 < 22.46


def test_a_weighted_pick_follows_participation_rates() -> None:
    pool = [Candidate("a", 1000, 0, 365), Candidate("b", 500, 0, 365)]
    wins = Counter(algorithm.draw(pool, hashlib.sha256(str(i).encode()).digest()).picks[0] for i in range(6000))
    assert 3800 < wins["a"] < 4200  # expected 4000: the chairman at half share is picked half as often


def test_probabilities_are_exact_sum_to_one_and_favour_the_least_loaded() -> None:
    pool = [Candidate("a", 1000, 100, 365), Candidate("b", 1000, 200, 365), Candidate("c", 1000, 300, 365)]
    chances = algorithm.probabilities(pool)
    assert sum(chances.values()) == 1
    # p = 1/3 each: the least loaded wins unless both picks are others: 1 - (2/3)^2 = 5/9
    assert chances == {"a": Fraction(5, 9), "b": Fraction(3, 9), "c": Fraction(1, 9)}


def test_the_fast_formula_matches_the_pairwise_definition() -> None:
    pool = [Candidate(f"j{i}", 500 if i % 4 == 0 else 1000, (i * 53) % 300, 200 + i % 3) for i in range(23)]
    total = sum(c.rate for c in pool)
    chances = algorithm.probabilities(pool)
    for mine in pool:
        p = Fraction(mine.rate, total)
        expected = p * p
        for other in pool:
            if other is not mine:
                q = Fraction(other.rate, total)
                expected += 2 * p * q if other.key > mine.key else (p * q if other.key == mine.key else 0)
        assert chances[mine.judge] == expected
    assert sum(chances.values()) == 1


def test_equal_keys_split_the_chance_evenly() -> None:
    pool = [Candidate("a", 1000, 100, 365), Candidate("b", 1000, 100, 365)]
    assert algorithm.probabilities(pool) == {"a": Fraction(1, 2), "b": Fraction(1, 2)}


def test_load_is_scaled_by_days_present() -> None:
    # 100 units in 183 days present is a slower pace than 200 units in a full year.
    assert Candidate("a", 1000, 100, 183).key < Candidate("b", 1000, 200, 365).key
    assert Candidate("a", 1000, 100, 182).key > Candidate("b", 1000, 200, 365).key
    assert Candidate("a", 1000, 100, 365).key == Candidate("b", 500, 50, 365).key


@pytest.mark.parametrize("judges", [5, 12, 50])
def test_simulation_meets_the_targets_of_the_issue(judges: int) -> None:
    result = simulate(judges=judges, cases=judges * 150, seed=7)
    assert result.weighted_per_judge >= 150
    assert result.load_cv <= 0.02
    assert result.max_min <= 1.05
    assert result.highest_chance <= 2 / judges


def test_canonical_json_sorts_keys_as_rfc_8785_section_3_2_3() -> None:
    # The example of RFC 8785 §3.2.3: keys sorted by their UTF-16 code units.
    keys = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    value = {key: f"value {n}" for n, key in enumerate(keys)}
    expected_order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    ours = rfc8785.dumps(value).decode()
    positions = [ours.index(rfc8785.dumps(key).decode() + ":") for key in expected_order]
    assert positions == sorted(positions)
    assert load_tool().jcs(value) == ours


def test_the_standalone_verifier_draws_the_same_as_the_server() -> None:
    tool = load_tool()
    pool = [Candidate(f"j{i}", 500 if i == 0 else 1000, (i * 37) % 500, 300 + i) for i in range(9)]
    for n in range(200):
        seed = hashlib.sha256(f"agree {n}".encode()).digest()
        ours = algorithm.draw(pool, seed)
        stream = tool.Stream(seed)
        judges = [{"judge": c.judge, "rate": c.rate, "load": c.load, "days_present": c.days_present} for c in pool]
        first, second = tool.pick(judges, stream), tool.pick(judges, stream)
        assert (first["judge"], second["judge"]) == ours.picks
