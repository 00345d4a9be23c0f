"""Reads of the deadlines context: the control dashboards (counts aggregated in SQL, per judge,
court and region), the lists behind them, a case's terms, and how a term's last day was computed."""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.numbers import percent
from torelik.core.rows import column, table
from torelik.courts.models import CaseCategory, Court, Judge, Region
from torelik.deadlines.models import (
    COURT_DUTIES,
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    CalendarOverride,
    ClosedTerms,
    Term,
    TermRule,
    TermStatus,
    TermWarning,
)
from torelik.deadlines.working_calendar import Computation, DayInfo, WorkingCalendar, working_calendar
from torelik.identity.models import User


class TermState(StrEnum):
    """What a dashboard counts. `overdue` is a running term whose last day has passed; `missed` one
    that was met late; together they are the terms not met on time."""

    RUNNING = "running"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"


STATE_LABELS = {
    TermState.RUNNING: _("running"),
    TermState.DUE_SOON: _("due within 3 days"),
    TermState.OVERDUE: _("overdue"),
    TermState.PAUSED: _("paused"),
    TermState.MET: _("met on time"),
    TermState.MISSED: _("met late"),
}


def state_filter(state: TermState, today: dt.date) -> Q:
    if state == TermState.RUNNING:
        return Q(status=TermStatus.RUNNING, due_date__gte=today)
    if state == TermState.DUE_SOON:
        return Q(status=TermStatus.RUNNING, due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    if state == TermState.OVERDUE:
        return Q(status=TermStatus.RUNNING, due_date__lt=today)
    if state == TermState.PAUSED:
        return Q(status=TermStatus.PAUSED)
    if state == TermState.MET:
        return Q(status=TermStatus.MET)
    return Q(status=TermStatus.MISSED)


OPEN_STATES = (TermState.RUNNING, TermState.DUE_SOON, TermState.OVERDUE, TermState.PAUSED)


def _open_aggregates(today: dt.date) -> dict[str, Count]:
    # Counted on `due_date` (never null), not `id`: the partial index holds every column these counts read,
    # so PostgreSQL answers from the index alone.
    return {state.value: Count("due_date", filter=state_filter(state, today)) for state in OPEN_STATES}


def _closed(by: str, **scope: Any) -> dict[Any, dict[str, Any]]:
    """The closed terms (met on time, met late) per `by` among `scope`, from their kept counts (ADR 0115):
    a few rows per judge, however many terms a decade closed."""
    rows = (
        ClosedTerms.objects.filter(**scope)
        .values(by)
        .annotate(
            met=Sum("count", filter=Q(status=TermStatus.MET)), missed=Sum("count", filter=Q(status=TermStatus.MISSED))
        )
        .order_by()
    )
    return {row[by]: row for row in rows}


@dataclass(frozen=True)
class TermCounts:
    running: int = 0
    due_soon: int = 0
    overdue: int = 0
    paused: int = 0
    met: int = 0
    missed: int = 0

    @classmethod
    def of(cls, row: dict[str, Any]) -> "TermCounts":
        return cls(**{state.value: int(row.get(state.value) or 0) for state in TermState})

    def __add__(self, other: "TermCounts") -> "TermCounts":
        return TermCounts(**{s.value: getattr(self, s.value) + getattr(other, s.value) for s in TermState})

    @property
    def share_met(self) -> float | None:
        """Share of the terms met on time among those whose last day has come (None: none has)."""
        decided = self.met + self.missed + self.overdue
        return self.met / decided if decided else None

    def parts(self) -> list[tuple[str, float]]:
        """The terms split into parts that do not overlap (due soon is a part of running), in the order
        a chart lays them end to end: met on time, met late, overdue, running (more than 3 days left),
        due within 3 days, paused."""
        return [
            (TermState.MET.value, self.met),
            (TermState.MISSED.value, self.missed),
            (TermState.OVERDUE.value, self.overdue),
            (TermState.RUNNING.value, self.running - self.due_soon),
            (TermState.DUE_SOON.value, self.due_soon),
            (TermState.PAUSED.value, self.paused),
        ]

    @property
    def share_met_percent(self) -> str:
        share = self.share_met
        return percent(share)


def controlled_terms() -> QuerySet[Term]:
    """The terms the court must meet (a party's term is its right, not the court's duty)."""
    return Term.objects.filter(responsible__in=COURT_DUTIES)


def _open_terms() -> QuerySet[Term]:
    return controlled_terms().filter(status__in=OPEN_STATUSES)


def _grouped(by: str, today: dt.date, **scope: Any) -> dict[Any, TermCounts]:
    """The counts per `by` (judge_id or court_id) among `scope`: the open terms counted in SQL through
    their own partial index, the closed ones read from their kept counts."""
    open_rows = {
        row[by]: row
        for row in _open_terms().filter(**scope).values(by).annotate(**_open_aggregates(today)).order_by(by)
    }
    closed = _closed(by, **scope)
    return {key: TermCounts.of({**open_rows.get(key, {}), **closed.get(key, {})}) for key in {*open_rows, *closed}}


def judge_counts(judge: Judge, today: dt.date) -> TermCounts:
    """A judge's own terms."""
    return _grouped("judge_id", today, judge=judge).get(judge.pk, TermCounts())


@dataclass(frozen=True)
class Row:
    """One line of a dashboard: a judge, a court or a region with its counts."""

    key: str
    label: str
    counts: TermCounts
    court: Court | None = None
    judge: Judge | None = None
    region: Region | None = None


def per_judge(court: Court, today: dt.date) -> list[Row]:
    """A court's terms per judge (and a line for terms of cases with no judge yet)."""
    grouped = _grouped("judge_id", today, court=court)
    judges = Judge.objects.select_related("person").in_bulk([j for j in grouped if j])
    rows = []
    for judge_id, line in grouped.items():
        judge = judges.get(judge_id) if judge_id else None
        label = judge.person.full_name if judge is not None else str(_("no judge assigned yet"))
        rows.append(Row(key=str(judge_id or ""), label=label, counts=line, judge=judge))
    return sorted(rows, key=lambda r: (r.judge is None, r.label))


def per_court(courts: QuerySet[Court], today: dt.date) -> list[Row]:
    """Terms per court among `courts` (courts without terms omitted)."""
    grouped = _grouped("court_id", today, court__in=courts)
    found = Court.objects.select_related("region").in_bulk(list(grouped))
    rows = [
        Row(key=found[c].code, label=found[c].name, counts=line, court=found[c], region=found[c].region)
        for c, line in grouped.items()
    ]
    return sorted(rows, key=lambda r: r.key)


def national(today: dt.date) -> tuple[list[Row], list[Row]]:
    """The Supreme Court's view: per court, and per region as the sum of its courts' lines (a few
    hundred lines, not terms)."""
    grouped = _grouped("court_id", today)
    courts = Court.objects.select_related("region").in_bulk(list(grouped))
    court_rows = []
    by_region: dict[int | None, TermCounts] = {}
    for court_id, line in sorted(grouped.items()):
        court = courts[court_id]
        court_rows.append(Row(key=court.code, label=court.name, counts=line, court=court, region=court.region))
        by_region[court.region_id] = by_region.get(court.region_id, TermCounts()) + line
    regions = Region.objects.in_bulk([r for r in by_region if r is not None])
    region_rows = [
        Row(
            key=regions[region_id].code if region_id is not None else "",
            label=regions[region_id].name if region_id is not None else str(_("republican courts")),
            counts=line,
            region=regions.get(region_id) if region_id is not None else None,
        )
        for region_id, line in by_region.items()
    ]
    return sorted(region_rows, key=lambda r: (r.region is None, r.key)), sorted(court_rows, key=lambda r: r.key)


def term_list(terms: QuerySet[Term], state: TermState | None, today: dt.date) -> QuerySet[Term]:
    if state is not None:
        terms = terms.filter(state_filter(state, today))
    return terms.select_related("case", "rule", "judge__person", "court").order_by("due_date", "id")


def terms_of_case(case: Case) -> QuerySet[Term]:
    return Term.objects.filter(case=case).select_related("rule").order_by("opened_at", "id")


def warnings_for(user: User) -> QuerySet[TermWarning]:
    return (
        TermWarning.objects.filter(user=user, seen_at__isnull=True)
        .select_related("term__case", "term__rule")
        .order_by("term__due_date", "id")
    )


# --- How a last day was computed ---------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Everything a party needs to check a last day by hand."""

    term: Term
    base: Computation
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    expired: bool = False
    # Days within the term that depend on an act not adopted yet: the last day may change with it.
    provisional: list[DayInfo] = field(default_factory=list)


def explain(term: Term, today: dt.date, calendar: WorkingCalendar | None = None) -> Explanation:
    calendar = calendar or working_calendar()
    base = calendar.add(term.event_date, term.amount, term.unit)
    return Explanation(
        term=term,
        base=base,
        adjustments=[dict(a) for a in term.adjustments],
        expired=term.status == TermStatus.RUNNING and term.due_date < today,
        provisional=calendar.provisional_between(term.event_date, max(term.due_date, base.end)),
    )


def terms_on_provisional_days(terms: Iterable[Term], calendar: WorkingCalendar | None = None) -> set[int]:
    """The ids of `terms` whose span (event, last day] holds a provisional day: flagged to the judge."""
    calendar = calendar or working_calendar()
    return {term.pk for term in terms if calendar.provisional_between(term.event_date, term.due_date)}


def explanations(terms: list[Term], today: dt.date) -> list[Explanation]:
    calendar = working_calendar()
    return [explain(term, today, calendar) for term in terms]


# --- What the rule book looks at in a case ----------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What the rules look at in a case."""

    case_id: int
    court_id: int
    judge_id: int | None
    proceeding_type: str
    instance: str
    category_code: str
    calendar_version: tuple[Any, Any]
    rules_version: tuple[Any, ...] = ()


# What the rules look at in a case, with the versions of the calendar table and of the rules table, in
# one statement. Plain SQL: this runs at every moment of every case, and the ORM's compilation would
# cost more than it. One aggregate per table (not one subquery per value): PostgreSQL plans it in half
# the time.
@functools.cache
def facts_sql() -> str:
    """What the rules look at in a case, and the versions of the calendar and rules tables (ADR 0032)."""
    case, category = functools.partial(column, Case), functools.partial(column, CaseCategory)
    day, rule = functools.partial(column, CalendarOverride), functools.partial(column, TermRule)
    return (
        f"SELECT c.{case('court')}, c.{case('judge')}, c.{case('proceeding_type')}, c.{case('instance')},"  # noqa: S608
        f" k.{category('code')}, o.n, o.changed, r.n, r.last, r.changed"
        f" FROM {table(Case)} c JOIN {table(CaseCategory)} k ON k.{category('id')} = c.{case('category')}"
        f" CROSS JOIN (SELECT COUNT(*) AS n, MAX({day('updated_at')}) AS changed FROM {table(CalendarOverride)}) o"
        f" CROSS JOIN (SELECT COUNT(*) AS n, MAX({rule('id')}) AS last, MAX({rule('updated_at')}) AS changed"
        f" FROM {table(TermRule)}) r WHERE c.{case('id')} = %s"
    )


def case_facts(case_id: int) -> CaseFacts:
    with connection.cursor() as cursor:
        cursor.execute(facts_sql(), [case_id])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - the event comes from the case's own transaction
        raise Case.DoesNotExist(case_id)
    return CaseFacts(
        case_id=case_id,
        court_id=row[0],
        judge_id=row[1],
        proceeding_type=row[2],
        instance=row[3],
        category_code=row[4],
        calendar_version=(row[5], row[6]),
        rules_version=(row[7], row[8], row[9]),
    )


@functools.cache
def judge_of_open_terms_sql(statuses: int) -> str:
    """The open terms of a case take the case's judge (ADR 0032)."""
    term, case = functools.partial(column, Term), functools.partial(column, Case)
    return (
        f"UPDATE {table(Term)} SET {term('judge')} = (SELECT {case('judge')} FROM {table(Case)}"  # noqa: S608
        f" WHERE {case('id')} = %s) WHERE {term('case')} = %s AND {term('status')} IN ({', '.join(['%s'] * statuses)})"
    )


def set_judge_of_open_terms(case_id: int) -> int:
    """The one write among the deadlines' reads: the open terms of the case take its judge, in one
    statement, as this runs at every assignment of a judge (a batch of draws completes hundreds) and
    the ORM's compilation of the update cost several times the statement. How many terms changed."""
    with connection.cursor() as cursor:
        cursor.execute(judge_of_open_terms_sql(len(OPEN_STATUSES)), [case_id, case_id, *map(str, OPEN_STATUSES)])
        return int(cursor.rowcount)


def add_closed_terms(counts: list[tuple[tuple[int, int, str, str], int]]) -> None:
    """The other write among the reads: add closed terms to their kept counts, one upsert per key
    (court, judge or 0, responsible, status), so that two closings in one court never wait on a row the
    other is creating (ADR 0115)."""
    name = table(ClosedTerms)
    with connection.cursor() as cursor:
        for (court_id, judge_key, responsible, status), n in counts:
            cursor.execute(
                f"INSERT INTO {name} (court_id, judge_id, judge_key, responsible, status, count)"  # noqa: S608
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (court_id, judge_key, responsible, status)"
                f" DO UPDATE SET count = {name}.count + excluded.count",
                [court_id, judge_key or None, judge_key, responsible, status, n],
            )
