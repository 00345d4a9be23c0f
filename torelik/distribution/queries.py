"""Reading draws: protocols of a case, open data in bulk, anchors, and the monitoring figures."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from torelik.archive.models import LogEntryKind
from torelik.archive.queries import proof_of_subject
from torelik.cases.models import Case, Party
from torelik.core import clock
from torelik.courts.models import Court, Judge
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus

Z_FLAG = 3.0
STREAK_FLAG = 0.001


def draws_of(case: Case) -> QuerySet[Draw]:
    return Draw.objects.filter(case=case).select_related("judge__person", "case").order_by("attempt")


def protocols(*, court: Court | None, since: dt.datetime | None, until: dt.datetime | None) -> QuerySet[Draw]:
    draws = Draw.objects.select_related("judge", "case").order_by("committed_at", "pk")
    if court is not None:
        draws = draws.filter(case__court=court)
    if since is not None:
        draws = draws.filter(committed_at__gte=since)
    if until is not None:
        draws = draws.filter(committed_at__lt=until)
    return draws


def logged_protocol(draw: Draw) -> dict[str, Any]:
    """The public protocol with the commitment's proof from the transparency log: its entry, the first
    checkpoint that covers it (signed before the round, docs/distribution.md 6) and the inclusion proof."""
    return {**draw.protocol(), "log": proof_of_subject(str(draw.public_id), LogEntryKind.DISTRIBUTION_COMMITMENT)}


@dataclass(frozen=True)
class LoggedCommitment:
    """Where a draw's commitment stands in the transparency log, for the public page."""

    index: int | None
    checkpoint_size: int | None
    signed_at: dt.datetime | None
    in_time: bool  # the checkpoint was signed before the beacon round's time


def commitment_in_log(draw: Draw) -> LoggedCommitment:
    log = proof_of_subject(str(draw.public_id), LogEntryKind.DISTRIBUTION_COMMITMENT)
    if "checkpoint" not in log:
        return LoggedCommitment(index=log.get("index"), checkpoint_size=None, signed_at=None, in_time=False)
    signed = int(str(log["checkpoint"]).split("\ntime ", 1)[1].split("\n", 1)[0])
    signed_at = dt.datetime.fromtimestamp(signed, tz=dt.UTC)
    round_at = dt.datetime.fromisoformat(str(draw.snapshot["beacon"]["round_time"]).replace("Z", "+00:00"))
    return LoggedCommitment(
        index=log["index"], checkpoint_size=log["tree_size"], signed_at=signed_at, in_time=signed_at < round_at
    )


def anchors(chain: str | None = None) -> QuerySet[BeaconAnchor]:
    found = BeaconAnchor.objects.order_by("chain", "segment")
    return found.filter(chain=chain) if chain else found


def pending_draws(court: Court | None = None) -> QuerySet[Draw]:
    draws = Draw.objects.filter(status__in=[DrawStatus.COMMITTED, DrawStatus.WAITING], replaced_at__isnull=True)
    return (draws.filter(case__court=court) if court else draws).select_related("case")


@dataclass(frozen=True)
class JudgeFigures:
    judge: Judge
    load: int
    received: int
    expected: float
    z: float | None

    @property
    def flagged(self) -> bool:
        return self.z is not None and abs(self.z) > Z_FLAG


@dataclass(frozen=True)
class Streak:
    party: str
    judge: Judge
    cases: int
    received: int
    chance: float


@dataclass(frozen=True)
class CourtMonitoring:
    court: Court
    judges: list[JudgeFigures]
    load_cv: float | None
    draws: int
    pending: int
    streaks: list[Streak]


def _tail_at_least(probabilities: list[float], k: int) -> float:
    """P(at least k successes) for independent trials with these chances (Poisson binomial)."""
    distribution = [1.0]
    for p in probabilities:
        step = [0.0] * (len(distribution) + 1)
        for successes, mass in enumerate(distribution):
            step[successes] += mass * (1 - p)
            step[successes + 1] += mass * p
        distribution = step
    return sum(distribution[k:])


def monitoring(court: Court, *, days: int = 365) -> CourtMonitoring:
    """Each judge's load, the draws received against the sum of their chances (z-score, flagged
    beyond 3), the spread of load, and parties who met one judge improbably often."""
    since = clock.now() - dt.timedelta(days=days)
    draws = list(
        Draw.objects.filter(case__court=court, status=DrawStatus.DRAWN, drawn_at__gte=since).values_list(
            "case_id", "judge__public_id", "probabilities", "weight", "replaced_at"
        )
    )
    judges = list(Judge.objects.filter(court=court).select_related("person"))
    received: defaultdict[str, int] = defaultdict(int)
    mean: defaultdict[str, float] = defaultdict(float)
    variance: defaultdict[str, float] = defaultdict(float)
    load: defaultdict[str, int] = defaultdict(int)
    chance_by_case: dict[int, dict[str, float]] = {}
    winner_by_case: dict[int, str] = {}
    for case_id, winner, chances, weight, replaced_at in draws:
        received[str(winner)] += 1
        if replaced_at is None:
            load[str(winner)] += weight
        parsed = {judge: float(Fraction(text)) for judge, text in chances.items()}
        for judge, p in parsed.items():
            mean[judge] += p
            variance[judge] += p * (1 - p)
        chance_by_case[case_id] = parsed
        winner_by_case[case_id] = str(winner)
    figures = []
    for judge in judges:
        key = str(judge.public_id)
        z = (received[key] - mean[key]) / math.sqrt(variance[key]) if variance[key] > 0 else None
        figures.append(JudgeFigures(judge=judge, load=load[key], received=received[key], expected=mean[key], z=z))
    active = [
        f.load / 100 * 1000 / max(int(f.judge.participation_rate * 1000), 1)
        for f in figures
        if f.judge.is_active and f.judge.participation_rate > 0
    ]
    cv = None
    if len(active) > 1 and sum(active) > 0:
        average = sum(active) / len(active)
        cv = math.sqrt(sum((x - average) ** 2 for x in active) / len(active)) / average
    return CourtMonitoring(
        court=court,
        judges=figures,
        load_cv=cv,
        draws=len(draws),
        pending=pending_draws(court).count(),
        streaks=_streaks(chance_by_case, winner_by_case, {str(j.public_id): j for j in judges}),
    )


def _streaks(chances: dict[int, dict[str, float]], winners: dict[int, str], judges: dict[str, Judge]) -> list[Streak]:
    parties: defaultdict[str, set[int]] = defaultdict(set)
    for party in Party.objects.filter(case_id__in=list(chances)).select_related("person", "organisation"):
        identifier = party.person.iin if party.person else (party.organisation.bin if party.organisation else "")
        if identifier:
            parties[identifier].add(party.case_id)
    found = []
    for identifier, case_ids in parties.items():
        if len(case_ids) < 3:
            continue
        by_judge: defaultdict[str, list[int]] = defaultdict(list)
        for case_id in case_ids:
            by_judge[winners[case_id]].append(case_id)
        for judge_id, won in by_judge.items():
            if len(won) < 3 or judge_id not in judges:
                continue
            tail = _tail_at_least([chances[c].get(judge_id, 0.0) for c in case_ids], len(won))
            if tail < STREAK_FLAG:
                masked = identifier[:4] + "••••" + identifier[-2:]
                found.append(Streak(masked, judges[judge_id], len(case_ids), len(won), tail))
    return sorted(found, key=lambda s: s.chance)
