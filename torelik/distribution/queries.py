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
from django.db.models import BooleanField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone

from torelik.archive.models import LogEntryKind
from torelik.archive.queries import proof_of_subject
from torelik.cases.models import Case, Party
from torelik.core import clock
from torelik.core.rows import column, table
from torelik.courts.models import Court, Judge
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus, DrawTally
from torelik.identity.models import Organisation, Person
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


def _chance_value(chance: str) -> str:
    """The SQL of a protocol's chance, kept as an exact fraction's text ("1/3"), as a float."""
    if connection.vendor == "postgresql":
        return (
            f"CASE WHEN strpos({chance}, '/') > 0 THEN split_part({chance}, '/', 1)::float8 / "
            f"split_part({chance}, '/', 2)::float8 ELSE {chance}::float8 END"
        )
    return (
        f"CASE WHEN instr({chance}, '/') > 0 THEN CAST(substr({chance}, 1, instr({chance}, '/') - 1) AS REAL) / "
        f"CAST(substr({chance}, instr({chance}, '/') + 1) AS REAL) ELSE CAST({chance} AS REAL) END"
    )


def _counted_tallies_sql() -> str:
    """Every (court, UTC day, judge) of the drawn protocols with the draws won, the weight of those not
    replaced, and the sums of the chances and their variances: the tallies as the protocols make them."""
    d, c, j = (functools.partial(column, model) for model in (Draw, Case, Judge))
    if connection.vendor == "postgresql":
        each, key, chance = "jsonb_each_text(d.probabilities) AS e(judge, chance)", "e.judge::uuid", "e.chance"
        day = f"(d.{d('drawn_at')} AT TIME ZONE 'UTC')::date"
    else:  # a UUID is kept as 32 hex digits; a moment as naive UTC text
        each, key, chance = "json_each(d.probabilities) AS e", "replace(e.key, '-', '')", "e.value"
        day = f"date(d.{d('drawn_at')})"
    value = _chance_value(chance)
    draws = f"FROM {table(Draw)} d JOIN {table(Case)} c ON c.{c('id')} = d.{d('case')}"
    drawn = f"d.{d('status')} = %s AND d.{d('drawn_at')} IS NOT NULL"
    return (
        "SELECT court, day, judge, sum(received), sum(weight), sum(chance), sum(variance) FROM ("  # noqa: S608
        # Every judge a protocol names (and the table knows): the chance and its variance ...
        f"SELECT c.{c('court')} AS court, {day} AS day, j.{j('id')} AS judge, 0 AS received, 0 AS weight, "
        f"{value} AS chance, ({value}) * (1 - ({value})) AS variance {draws} CROSS JOIN {each} "
        f"JOIN {table(Judge)} j ON j.{j('public_id')} = {key} WHERE {drawn} "
        # ... and the winner, whatever its protocol says: a draw won and its weight while not replaced.
        f"UNION ALL SELECT c.{c('court')}, {day}, d.{d('judge')}, 1, "
        f"CASE WHEN d.{d('replaced_at')} IS NULL THEN d.{d('weight')} ELSE 0 END, 0, 0 {draws} "
        f"WHERE {drawn} AND d.{d('judge')} IS NOT NULL"
        ") AS tallied GROUP BY court, day, judge"
    )


TallyKey = tuple[int, dt.date, int]  # (court, day, judge)
TallyFigures = tuple[int, int, float, float]  # (received, weight, chance, variance)


def counted_tallies() -> dict[TallyKey, TallyFigures]:
    """The tallies recounted from the drawn protocols (by the database)."""
    with connection.cursor() as cursor:
        cursor.execute(_counted_tallies_sql(), [DrawStatus.DRAWN, DrawStatus.DRAWN])
        rows = cursor.fetchall()
    parse = dt.date.fromisoformat
    return {
        (int(court), day if isinstance(day, dt.date) else parse(str(day)), int(judge)): (
            int(received),
            int(weight),
            float(chance),
            float(variance),
        )
        for court, day, judge, received, weight, chance, variance in rows
    }


def lock_tallies() -> None:
    """Hold the drawing transactions' writes to the tallies until this transaction ends (PostgreSQL;
    SQLite's write transactions are serial already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table(DrawTally)} IN SHARE ROW EXCLUSIVE MODE")


def add_to_tallies(rows: dict[TallyKey, TallyFigures]) -> None:
    """Add these figures to the tallies in one statement, in the keys' order (two transactions adding
    to the same rows lock them in one order, never a deadlock)."""
    if not rows:
        return
    names = ["court", "day", "judge", "received", "weight", "chance", "variance"]
    columns = [column(DrawTally, name) for name in names]
    figures = columns[3:]
    tally = table(DrawTally)
    marks = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    statement = (
        f"INSERT INTO {tally} ({', '.join(columns)}) VALUES {marks} "  # noqa: S608 - our names
        f"ON CONFLICT ({', '.join(columns[:3])}) DO UPDATE SET "
        + ", ".join(f"{name} = {tally}.{name} + excluded.{name}" for name in figures)
    )
    day = connection.ops.adapt_datefield_value
    params: list[Any] = []
    for (court, when, judge), values in sorted(rows.items()):
        params += [court, day(when), judge, *values]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def monitoring(court: Court, *, days: int = 365) -> CourtMonitoring:
    """Each judge's load, the draws received against the sum of their chances (z-score, flagged
    beyond 3), the spread of load, and parties who met one judge improbably often. The figures are
    the court's tallies of the days of the period (ADR 0116: some 365 rows a judge, not a year of
    protocols); only the draws of parties with three cases or more are read."""
    since = clock.now() - dt.timedelta(days=days)
    first_day = since.astimezone(dt.UTC).date()
    tallies = {
        row["judge"]: row
        for row in DrawTally.objects.filter(court=court, day__gte=first_day)
        .values("judge")
        .annotate(n=Sum("received"), load=Sum("weight"), mean=Sum("chance"), spread=Sum("variance"))
    }
    judges = list(Judge.objects.filter(court=court).select_related("person"))
    figures = []
    for judge in judges:
        row = tallies.get(judge.pk, {})
        received, mean, variance = int(row.get("n") or 0), float(row.get("mean") or 0), float(row.get("spread") or 0)
        z = (received - mean) / math.sqrt(variance) if variance > 0 else None
        figures.append(JudgeFigures(judge=judge, load=int(row.get("load") or 0), received=received, expected=mean, z=z))
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
        draws=sum(int(row["n"] or 0) for row in tallies.values()),
        pending=pending_draws(court).count(),
        streaks=_streaks(court, since, {str(j.public_id): j for j in judges}),
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


@functools.cache
def _repeat_parties_sql() -> str:
    """The IINs and BINs of the parties in three or more of a court's cases drawn in a period, each with
    those cases' ids, in one statement: the period's drawn cases and their parties are read once for
    people and organisations alike (two queries each repeating them took twice as long, ADR 0116)."""
    d, c, p = (functools.partial(column, model) for model in (Draw, Case, Party))
    person, organisation = table(Person), table(Organisation)

    def side(key: str, identifier: str, rows: str) -> str:
        return (
            f"SELECT x.{identifier}, s.case_id FROM sides s JOIN {rows} x ON x.id = s.{key} "  # noqa: S608
            f"WHERE x.{identifier} <> '' AND s.{key} IN "
            f"(SELECT {key} FROM sides WHERE {key} IS NOT NULL GROUP BY {key} HAVING count(DISTINCT case_id) >= 3)"
        )

    return (
        f"WITH sides AS (SELECT p.{p('case')} AS case_id, p.{p('person')} AS person_id, "  # noqa: S608 - our names
        f"p.{p('organisation')} AS organisation_id FROM {table(Party)} p WHERE p.{p('case')} IN ("
        f"SELECT d.{d('case')} FROM {table(Draw)} d JOIN {table(Case)} c ON c.{c('id')} = d.{d('case')} "
        f"WHERE c.{c('court')} = %s AND d.{d('status')} = %s AND d.{d('drawn_at')} >= %s)) "
        f"{side('person_id', column(Person, 'iin'), person)} UNION ALL "
        f"{side('organisation_id', column(Organisation, 'bin'), organisation)}"
    )


def _streaks(court: Court, since: dt.datetime, judges: dict[str, Judge]) -> list[Streak]:
    """Parties (by IIN or BIN) in three or more of the drawn cases: whether one judge got improbably
    many of them. The repeat parties are found by the database; only their cases' draws are read."""
    parties: defaultdict[str, set[int]] = defaultdict(set)
    moment = connection.ops.adapt_datetimefield_value  # as the ORM writes it (SQLite: naive UTC text)
    with connection.cursor() as cursor:
        cursor.execute(_repeat_parties_sql(), [court.pk, DrawStatus.DRAWN, moment(since)])
        for identifier, case_id in cursor.fetchall():
            parties[str(identifier)].add(int(case_id))
    wanted = {c for ids in parties.values() for c in ids}
    drawn = Draw.objects.filter(case__court=court, status=DrawStatus.DRAWN, drawn_at__gte=since)
    chances: dict[int, dict[str, float]] = {}
    winners: dict[int, str] = {}
    for case_id, winner, text in (
        drawn.filter(case_id__in=wanted).values_list("case_id", "judge__public_id", "probabilities") if wanted else []
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
