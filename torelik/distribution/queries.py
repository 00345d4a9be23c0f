"""Reading draws: protocols of a case, open data in bulk, anchors, the monitoring figures, and the
earlier cases a refiled claim repeats."""

import datetime as dt
import functools
import math
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from torelik.archive.models import LogEntryKind
from torelik.archive.queries import proof_of_subject
from torelik.cases.models import Case, Party
from torelik.core import clock
from torelik.core.rows import column, table
from torelik.courts.models import Court, Judge
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus
from torelik.personnel.queries import backdated_absences

Side = tuple[str, int | None, int | None]  # (role, person, organisation): a person is one IIN, an organisation one BIN

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


def _chance_sql() -> str:
    """Each judge's sum of chances and of their variances p(1-p) over a court's draws in a period, in
    one statement: the chances are the draws' exact fractions as text ("1/3"), divided in SQL (ADR 0114;
    the Python loop parsed one Fraction per judge per draw, ~1 s for a large court's year)."""

    def draw(name: str) -> str:
        return f"{table(Draw)}.{column(Draw, name)}"

    def case(name: str) -> str:
        return f"{table(Case)}.{column(Case, name)}"

    if connection.vendor == "postgresql":
        each = f"jsonb_each_text({draw('probabilities')}) AS e(judge, chance)"
        value = (
            "CASE WHEN strpos(e.chance, '/') > 0 THEN split_part(e.chance, '/', 1)::float8 / "
            "split_part(e.chance, '/', 2)::float8 ELSE e.chance::float8 END"
        )
        judge = "e.judge"
    else:
        each = f"json_each({draw('probabilities')}) AS e"
        value = (
            "CASE WHEN instr(e.value, '/') > 0 THEN CAST(substr(e.value, 1, instr(e.value, '/') - 1) AS REAL) / "
            "CAST(substr(e.value, instr(e.value, '/') + 1) AS REAL) ELSE CAST(e.value AS REAL) END"
        )
        judge = "e.key"
    return (
        "SELECT judge, sum(chance), sum(chance * (1 - chance)) FROM ("  # noqa: S608 - names from the models
        f"SELECT {judge} AS judge, {value} AS chance "
        f"FROM {table(Draw)} JOIN {table(Case)} ON {case('id')} = {draw('case')} CROSS JOIN {each} "
        f"WHERE {case('court')} = %s AND {draw('status')} = %s AND {draw('drawn_at')} >= %s"
        ") AS chances GROUP BY judge"
    )


def monitoring(court: Court, *, days: int = 365) -> CourtMonitoring:
    """Each judge's load, the draws received against the sum of their chances (z-score, flagged
    beyond 3), the spread of load, and parties who met one judge improbably often. The sums are made
    by the database (ADR 0114); only the draws of parties with three cases or more are read."""
    since = clock.now() - dt.timedelta(days=days)
    drawn = Draw.objects.filter(case__court=court, status=DrawStatus.DRAWN, drawn_at__gte=since)
    received: defaultdict[str, int] = defaultdict(int)
    load: defaultdict[str, int] = defaultdict(int)
    count = 0
    for winner, n, weight in (
        drawn.order_by()
        .values("judge__public_id")
        .annotate(n=Count("id"), weight=Sum("weight", filter=Q(replaced_at__isnull=True)))
        .values_list("judge__public_id", "n", "weight")
    ):
        received[str(winner)] = n
        load[str(winner)] = weight or 0
        count += n
    mean: defaultdict[str, float] = defaultdict(float)
    variance: defaultdict[str, float] = defaultdict(float)
    with connection.cursor() as cursor:
        cursor.execute(_chance_sql(), [court.pk, DrawStatus.DRAWN, since])
        for judge_key, total, spread in cursor.fetchall():
            mean[str(judge_key)], variance[str(judge_key)] = float(total or 0), float(spread or 0)
    judges = list(Judge.objects.filter(court=court).select_related("person"))
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
        draws=count,
        pending=pending_draws(court).count(),
        streaks=_streaks(drawn, {str(j.public_id): j for j in judges}),
    )


@dataclass(frozen=True)
class BackdatedAbsence:
    """A judge's absence entered after the fact (personnel records) and the draws of the court made
    within it before it was recorded with that judge in the pool: they stand (section 2.1)."""

    judge: Judge
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    recorded_at: dt.datetime
    draws_before: int


def _in_pool_sql() -> str:
    """Whether a draw's snapshot lists the judge (a parameter: their public id) with no exclusion, i.e.
    in the pool: asked of the database, so that no snapshot is loaded and parsed in Python."""
    snapshot = f"{table(Draw)}.{column(Draw, 'snapshot')}"
    if connection.vendor == "postgresql":
        return (
            f"EXISTS (SELECT 1 FROM jsonb_array_elements({snapshot} -> 'judges') AS j "  # noqa: S608 - names from the model
            "WHERE j ->> 'judge' = %s AND jsonb_typeof(j -> 'exclusion') = 'null')"
        )
    return (
        f"EXISTS (SELECT 1 FROM json_each({snapshot}, '$.judges') AS j "  # noqa: S608 - names from the model
        "WHERE json_extract(j.value, '$.judge') = %s AND json_type(j.value, '$.exclusion') = 'null')"
    )


def with_judge_in_pool(draws: QuerySet[Draw], judge: Judge) -> QuerySet[Draw]:
    """The draws whose snapshot listed `judge` with no exclusion (asked of the database)."""
    return draws.filter(RawSQL(_in_pool_sql(), [str(judge.public_id)], output_field=BooleanField()))  # noqa: S611


def backdated_absences_with_draws(court: Court, *, days: int = 365) -> list[BackdatedAbsence]:
    """The court's judges' absences entered after the fact in the last `days`, each with the number of
    draws committed within it, before it was recorded, with the judge in the pool (counted by the database)."""
    found = []
    for absence in backdated_absences(court, since=clock.now() - dt.timedelta(days=days)):
        judge_absence = absence.judge_absence
        assert judge_absence is not None  # noqa: S101 - the query asks for judges' absences only
        start = timezone.make_aware(dt.datetime.combine(absence.starts_on, dt.time()))
        end = min(absence.recorded_at, timezone.make_aware(dt.datetime.combine(absence.ends_on, dt.time.max)))
        window = Draw.objects.filter(case__court=court, committed_at__gte=start, committed_at__lte=end)
        draws = with_judge_in_pool(window, judge_absence.judge).count()
        found.append(
            BackdatedAbsence(
                judge=judge_absence.judge,
                kind=absence.get_kind_display(),
                starts_on=absence.starts_on,
                ends_on=absence.ends_on,
                recorded_at=absence.recorded_at,
                draws_before=draws,
            )
        )
    return found


def _streaks(drawn: QuerySet[Draw], judges: dict[str, Judge]) -> list[Streak]:
    """Parties (by IIN or BIN) in three or more of the drawn cases: whether one judge got improbably
    many of them. The repeat parties are found by the database; only their cases' draws are read."""
    case_ids = drawn.values("case_id")
    parties: defaultdict[str, set[int]] = defaultdict(set)
    # Grouped by the person's or organisation's row (one per IIN or BIN: both are unique), so that only
    # the repeat parties are joined to their identifiers, not a year of a court's parties.
    for side, identifier_field in (("person", "person__iin"), ("organisation", "organisation__bin")):
        repeat = (
            Party.objects.filter(case_id__in=case_ids, **{f"{side}__isnull": False})
            .values(f"{side}_id")
            .annotate(n=Count("case_id", distinct=True))
            .filter(n__gte=3)
            .values(f"{side}_id")
        )
        rows = (
            Party.objects.filter(case_id__in=case_ids, **{f"{side}_id__in": repeat})
            .exclude(**{identifier_field: ""})
            .values_list(identifier_field, "case_id")
        )
        for identifier, case_id in rows:
            parties[identifier].add(case_id)
    wanted = {c for ids in parties.values() for c in ids}
    chances: dict[int, dict[str, float]] = {}
    winners: dict[int, str] = {}
    for case_id, winner, text in drawn.filter(case_id__in=wanted).values_list(
        "case_id", "judge__public_id", "probabilities"
    ):
        chances[case_id] = {judge: float(Fraction(value)) for judge, value in text.items()}
        winners[case_id] = str(winner)
    found = []
    for identifier, ids in parties.items():
        case_ids_of = [c for c in ids if c in winners]
        if len(case_ids_of) < 3:
            continue
        by_judge: defaultdict[str, list[int]] = defaultdict(list)
        for case_id in case_ids_of:
            by_judge[winners[case_id]].append(case_id)
        for judge_id, won in by_judge.items():
            if len(won) < 3 or judge_id not in judges:
                continue
            tail = _tail_at_least([chances[c].get(judge_id, 0.0) for c in case_ids_of], len(won))
            if tail < STREAK_FLAG:
                masked = identifier[:4] + "••••" + identifier[-2:]
                found.append(Streak(masked, judges[judge_id], len(case_ids_of), len(won), tail))
    return sorted(found, key=lambda s: s.chance)


# --- The earlier cases a claim repeats ------------------------------------------------------------


@functools.cache
def earlier_sql() -> str:
    """The ids of the earlier cases of a court and category in a period that are judged or being
    distributed (ADR 0032); `side_sql` adds each side they must have."""
    case, draw = functools.partial(column, Case), functools.partial(column, Draw)
    return (
        f"SELECT e.{case('id')} FROM {table(Case)} e WHERE e.{case('court')} = %s"  # noqa: S608 - our names
        f" AND e.{case('category')} = %s AND e.{case('registered_at')} >= %s AND e.{case('registered_at')} < %s"
        f" AND e.{case('id')} <> %s AND (e.{case('judge')} IS NOT NULL OR EXISTS (SELECT 1 FROM {table(Draw)} d"
        f" WHERE d.{draw('case')} = e.{case('id')} AND d.{draw('status')} IN (%s, %s)))"
    )


@functools.cache
def side_sql(by: str) -> str:
    """The condition that the case has a party of a role who is the person (`by="person"`) or the
    organisation (`by="organisation"`) given."""
    party = functools.partial(column, Party)
    return (
        f"AND EXISTS (SELECT 1 FROM {table(Party)} p WHERE p.{party('case')} = e.{column(Case, 'id')}"  # noqa: S608
        f" AND p.{party('role')} = %s AND p.{party(by)} = %s)"
    )


def earlier_with_sides(case: Case, sides: frozenset[Side], *, since: dt.datetime) -> list[int]:
    """The ids of the cases of `case`'s court and category registered from `since` until it that have
    every side of `sides` on the same side and are judged or being distributed.

    Written as SQL, because it runs for every case of every draw: the ORM spent more time building
    it than the database running it. Every side is a semi-join led by the person's (or company's)
    index, so that a company in thousands of claims with different opponents does not make each of
    them read the others. An earlier copy still being distributed counts too: this one then waits
    for its judge (filing the same claim five times at once must not buy five draws)."""
    moment = connection.ops.adapt_datetimefield_value  # as the ORM writes it (SQLite: naive UTC text)
    params: list[Any] = [
        case.court_id,
        case.category_id,
        moment(since),
        moment(case.registered_at),
        case.pk,
        DrawStatus.COMMITTED,
        DrawStatus.WAITING,
    ]
    clauses = [earlier_sql()]
    for role, person, organisation in sorted(sides, key=str):
        clauses.append(side_sql("person" if person is not None else "organisation"))
        params += [role, person if person is not None else organisation]
    with connection.cursor() as cursor:
        cursor.execute(" ".join(clauses), params)
        return [pk for (pk,) in cursor.fetchall()]
