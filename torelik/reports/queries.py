"""Reads of the statistics: the counters summed for a place (the country, a region, a court, a judge)
and a period, the facts the counters do not hold read from the contexts' own records (the courtrooms
today, the helpline, the SMS of no court), the backlog, and the journal read again for the rebuild."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from torelik.cases.models import Case, CaseEvent, CaseEventKind, Channel
from torelik.core import clock
from torelik.courts.models import Courtroom
from torelik.helpline import queries as helpline
from torelik.helpline.models import Call
from torelik.helpline.models import Routing as CallRouting
from torelik.reports import beside_journal, tally
from torelik.reports.models import PENDING, CommitteeReturn, Counter

# The journal entry and its case, as the counters read them


@dataclass(frozen=True)
class Entry:
    kind: str
    occurred_at: dt.datetime
    data: dict[str, Any]
    case: tally.CaseFacts


# The journal's data is read only where a counter needs it: a status change's two statuses.
_ENTRY_FIELDS = (
    "kind",
    "occurred_at",
    "before",
    "after",
    "case__court_id",
    "case__proceeding_type",
    "case__category_id",
    "case__channel",
    "case__registered_at",
)


def _entries(queryset: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    # As text, not decoded JSON: the rebuild reads millions of them.
    return queryset.annotate(before=KeyTextTransform("from", "data"), after=KeyTextTransform("to", "data"))


def _entry(row: tuple[Any, ...]) -> Entry:
    kind, occurred_at, before, after, court, proceeding, category, channel, registered_at = row
    data = {"from": before, "to": after} if before is not None or after is not None else {}
    return Entry(kind, occurred_at, data, tally.CaseFacts(court, proceeding, category, channel, registered_at))


def journal_entry(event_id: int) -> Entry | None:
    row = _entries(CaseEvent.objects.filter(pk=event_id)).values_list(*_ENTRY_FIELDS).first()
    return _entry(row) if row is not None else None


def last_entry(case_id: int, kind: str) -> Entry | None:
    """The case's latest journal entry of `kind` (the one its transaction has just recorded)."""
    entries = _entries(CaseEvent.objects.filter(case_id=case_id, kind=kind)).order_by("-pk")
    row = entries.values_list(*_ENTRY_FIELDS).first()
    return _entry(row) if row is not None else None


def hearing_entry(event_id: int) -> tuple[Entry, dt.datetime | None, int] | None:
    """A hearing's held or recording entry, the moment of the hearing's held entry up to it (None if
    not yet held) and the hearing's recording entries up to it (`tally.recorded_hearing`): read from the
    case's journal, a few entries."""
    found = (
        _entries(CaseEvent.objects.filter(pk=event_id))
        .annotate(hearing=beside_journal.hearing_of())
        .values_list("case_id", "hearing", *_ENTRY_FIELDS)
        .first()
    )
    if found is None or found[1] is None:
        return None
    same = (
        CaseEvent.objects.filter(case_id=found[0], kind__in=sorted(tally.HEARING_KINDS), pk__lte=event_id)
        .annotate(of=beside_journal.hearing_of())
        .filter(of=found[1])
        .values_list("kind", "occurred_at")
    )
    held_at = next((at for kind, at in same if kind == CaseEventKind.HEARING_HELD), None)
    recordings = sum(1 for kind, _at in same if kind == CaseEventKind.RECORDING_ADDED)
    return _entry(found[2:]), held_at, recordings


CounterKey = tuple[str, dt.date, int, str, str]  # figure, day, court, proceeding type, key
Counted = dict[CounterKey, tuple[int, int]]  # (count, amount)


def _add(
    counted: defaultdict[CounterKey, list[int]], change: tally.Increment | tally.CohortChange, case: tally.CaseFacts
) -> None:
    if isinstance(change, tally.Increment):
        sums = counted[(change.figure, change.day, case.court_id, case.proceeding_type, change.key)]
        sums[0] += change.count
        sums[1] += change.amount
    else:
        counted[(PENDING, change.month, case.court_id, case.proceeding_type, str(case.category_id))][0] += change.delta


def count_journal(*, progress: Callable[[int, int], None] | None = None, chunk: int = 20000) -> Counted:
    """Every counter counted again from the journal (the kinds the counters read), in the order of
    the journal; `progress(done, total)` after each chunk."""
    entries = _entries(CaseEvent.objects.filter(kind__in=sorted(tally.KINDS)))
    total = entries.count()
    counted: defaultdict[CounterKey, list[int]] = defaultdict(lambda: [0, 0])
    done = 0
    last = 0
    while True:
        rows = list(entries.filter(pk__gt=last).order_by("pk").values_list("pk", *_ENTRY_FIELDS)[:chunk])
        if not rows:
            break
        for row in rows:
            entry = _entry(row[1:])
            for change in tally.increments(entry.kind, entry.occurred_at, entry.data, entry.case):
                _add(counted, change, entry.case)
        last = rows[-1][0]
        done += len(rows)
        if progress is not None:
            progress(done, total)
    for beside, (c, a) in beside_journal.count_beside_journal().items():
        counted[beside][0] += c
        counted[beside][1] += a
    # The months' roll-ups summed from the days' counters (what `tally.rolled_up` adds entry by entry).
    months: defaultdict[CounterKey, list[int]] = defaultdict(lambda: [0, 0])
    for (figure, day, court, proceeding, key), (c, a) in counted.items():
        if figure != PENDING:
            sums = months[(tally.MONTHLY + figure, day.replace(day=1), court, proceeding, key)]
            sums[0] += c
            sums[1] += a
    counted.update(months)
    return {k: (c, a) for k, (c, a) in counted.items() if c or a}


def live_counters() -> Counted:
    rows = Counter.objects.values_list("figure", "day", "court_id", "proceeding_type", "key", "count", "amount")
    return {
        (figure, day, court, proceeding, key): (c, a)
        for figure, day, court, proceeding, key, c, a in rows.iterator(chunk_size=20000)
        if c or a
    }


def pending_from_cases() -> Counted:
    """The backlog's cohorts as the cases' own statuses give them: a check of the counters that does
    not read the journal."""
    out: defaultdict[CounterKey, list[int]] = defaultdict(lambda: [0, 0])
    rows = Case.objects.filter(status__in=sorted(tally.PENDING)).values_list(
        "registered_at", "court_id", "proceeding_type", "category_id"
    )
    for registered_at, court, proceeding, category in rows.iterator(chunk_size=20000):
        out[(PENDING, tally.local_day(registered_at).replace(day=1), court, proceeding, str(category))][0] += 1
    return {k: (c, a) for k, (c, a) in out.items()}


# A place and a period


@dataclass(frozen=True)
class Area:
    """The courts a figure sums over (None: the whole country), or one judge's cases."""

    court_ids: frozenset[int] | None
    judge_id: int | None = None


def _in_area(queryset: QuerySet[Any], area: Area, court: str = "court_id") -> QuerySet[Any]:
    if area.court_ids is not None:
        queryset = queryset.filter(**{f"{court}__in": sorted(area.court_ids)})
    return queryset


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return first, after


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


# Whether the months' roll-ups are read (the benchmark turns it off to measure the days' rows alone).
READ_ROLL_UPS = True


def _counted_in(start: dt.date, end: dt.date, figures: Iterable[str] = tally.FIGURES) -> Q:
    """The counter rows that sum to [start, end]: the month's roll-up of every whole month inside it,
    the day's rows of the days outside them (a period of whole months reads one row per month)."""
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - dt.timedelta(days=1) == end else end.replace(day=1)
    names = sorted(figures)

    def of(monthly: bool) -> Q:
        return Q(figure__in=[tally.MONTHLY + f if monthly else f for f in names])

    if first >= after or not READ_ROLL_UPS:  # no whole month inside
        return of(False) & Q(day__gte=start, day__lte=end)
    q = of(True) & Q(day__gte=first, day__lt=after)
    if start < first:
        q |= of(False) & Q(day__gte=start, day__lt=first)
    if after <= end:
        q |= of(False) & Q(day__gte=after, day__lte=end)
    return q


def _figure(name: str) -> str:
    return name.removeprefix(tally.MONTHLY)


@dataclass
class Sums:
    """What the figures of a place and period are computed from: the counters' sums by (figure, key)
    and the counts read from the contexts' own records."""

    tallies: dict[tuple[str, str], tuple[int, int]]
    records: dict[str, Decimal | int]

    def count(self, figure: str, key: str | Iterable[str] | None = None) -> int:
        keys = {key} if isinstance(key, str) else set(key) if key is not None else None
        return sum(c for (f, k), (c, _a) in self.tallies.items() if f == figure and (keys is None or k in keys))

    def amount(self, figure: str) -> int:
        return sum(a for (f, _k), (_c, a) in self.tallies.items() if f == figure)

    def record(self, name: str) -> Decimal | int:
        return self.records.get(name, 0)


def _judge_increments(judge_id: int, start: dt.date, end: dt.date) -> Iterable[tally.Increment]:
    """A judge's counters, counted from the journal of the judge's cases (a few thousand at most)."""
    # An entry counts on its own day or on its case's registration day, never after its own moment: the
    # entries before the period move no counter of it, and a judge's cases of past years are not read.
    first, after = _bounds(start, end)
    rows = _entries(
        CaseEvent.objects.filter(
            case__judge_id=judge_id, kind__in=sorted(tally.KINDS), occurred_at__gte=first, occurred_at__lt=after
        )
    ).values_list(*_ENTRY_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        entry = _entry(row)
        for change in tally.increments(entry.kind, entry.occurred_at, entry.data, entry.case):
            if isinstance(change, tally.Increment) and start <= change.day <= end:
                yield change


MAX_LISTED_CASES = 20_000  # a judge's case ids passed as a list (SQLite takes at most 32,766 parameters)


def _judge_tallies(judge_id: int, start: dt.date, end: dt.date) -> dict[tuple[str, str], tuple[int, int]]:
    out: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for change in _judge_increments(judge_id, start, end):
        sums = out[(change.figure, change.key)]
        sums[0] += change.count
        sums[1] += change.amount
    first, after = _bounds(start, end)
    # The judge's cases by their ids (read from the judge's index): joined by the judge instead, the
    # planner walked the whole case table in parallel for the recordings' semi-join (150 ms at 1M cases).
    ids = list(Case.objects.filter(judge_id=judge_id).values_list("id", flat=True)[: MAX_LISTED_CASES + 1])
    cases = Q(case_id__in=ids) if len(ids) <= MAX_LISTED_CASES else Q(case__judge_id=judge_id)
    judges = cases & Q(occurred_at__gte=first, occurred_at__lt=after)
    out[(tally.RECORDED, "")][0] += beside_journal.recorded_hearings(judges).count() if ids else 0
    return {k: (c, a) for k, (c, a) in out.items()}


def sums(area: Area, start: dt.date, end: dt.date) -> Sums:
    first, after = _bounds(start, end)
    if area.judge_id is not None:
        tallies = _judge_tallies(area.judge_id, start, end)
    else:
        rows = _in_area(Counter.objects.filter(_counted_in(start, end)), area)
        # A figure of a period with both months and edge days comes in two rows: add them.
        merged: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for r in rows.values("figure", "key").annotate(c=Sum("count"), a=Sum("amount")).order_by():
            added = merged[(_figure(r["figure"]), r["key"])]
            added[0] += int(r["c"] or 0)
            added[1] += int(r["a"] or 0)
        tallies = {k: (c, a) for k, (c, a) in merged.items()}
    records: dict[str, Decimal | int] = {}
    if area.judge_id is None:
        # The SMS of the courts from the counters; those of no court (login codes) only in the country's.
        sent, delivered, cost = beside_journal.sms_of_no_court(first, after) if area.court_ids is None else (0, 0, 0)
        records["sms_sent"] = _count(tallies, tally.SMS_SENT) + sent
        records["sms_delivered"] = _count(tallies, tally.SMS_DELIVERED) + delivered
        records["sms_cost"] = Decimal(tallies.get((tally.SMS_SENT, ""), (0, 0))[1]) / 100 + cost
        # The courts' registry today: a small table, read as it is.
        rooms = _in_area(Courtroom.objects.all(), area).aggregate(
            all=Count("id"), recording=Count("id", filter=Q(has_recording=True))
        )
        records["courtrooms"] = rooms["all"]
        records["courtrooms_recording"] = rooms["recording"]
        records.update(helpline_records(area, start, end))
    return Sums(tallies=tallies, records=records)


def _count(tallies: dict[tuple[str, str], tuple[int, int]], figure: str) -> int:
    return sum(c for (f, _k), (c, _a) in tallies.items() if f == figure)


def helpline_records(area: Area, start: dt.date, end: dt.date) -> dict[str, Decimal | int]:
    """The helpline's figures of a place and period: calls by channel and category (the helpline's own
    daily figures), the days of the period, and the calls routed with a term and answered within it."""
    days = helpline.daily_figures(start=start, end=end, court_ids=area.court_ids)
    out: dict[str, Decimal | int] = {"helpline_days": len(days), "helpline_calls": sum(d.calls for d in days)}
    for day in days:
        for channel, n in day.by_channel.items():
            out[f"helpline_{channel}"] = int(out.get(f"helpline_{channel}", 0)) + n
        for category, n in day.by_category.items():
            out[f"helpline_category_{category}"] = int(out.get(f"helpline_category_{category}", 0)) + n
    first, after = _bounds(start, end)
    routed = _in_area(
        Call.objects.filter(received_at__gte=first, received_at__lt=after, due_on__isnull=False).exclude(
            routing=CallRouting.NONE
        ),
        area,
    )
    out["helpline_routed"] = routed.count()
    out["helpline_answered_in_term"] = sum(
        1
        for answered_at, due_on in routed.filter(answered_at__isnull=False).values_list("answered_at", "due_on")
        if tally.local_day(answered_at) <= due_on
    )
    return out


# The backlog

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("under_1", 0, 12),
    ("1_3", 12, 36),
    ("3_5", 36, 60),
    ("5_10", 60, 120),
    ("over_10", 120, None),
)


def age_band(month: dt.date, today: dt.date) -> str:
    """The band of a case registered in `month`, by whole months from then to today's month."""
    months = (today.year - month.year) * 12 + today.month - month.month
    for key, low, high in AGE_BANDS:
        if months >= low and (high is None or months < high):
            return key
    return AGE_BANDS[0][0]


@dataclass
class Backlog:
    pending: int
    by_age: dict[str, int]
    by_proceeding: dict[str, int]
    by_category: list[tuple[int, int]]  # (category id, pending), most first
    by_court: dict[int, int]


def backlog(area: Area) -> Backlog:
    """The cases pending today: from the cohorts, or for a judge from the judge's cases."""
    today = clock.today()
    by_age = {key: 0 for key, _l, _h in AGE_BANDS}
    by_proceeding: defaultdict[str, int] = defaultdict(int)
    by_category: defaultdict[int, int] = defaultdict(int)
    by_court: defaultdict[int, int] = defaultdict(int)
    if area.judge_id is not None:
        rows = [
            (tally.local_day(r).replace(day=1), court, proceeding, category)
            for r, court, proceeding, category in Case.objects.filter(
                judge_id=area.judge_id, status__in=sorted(tally.PENDING)
            ).values_list("registered_at", "court_id", "proceeding_type", "category_id")
        ]
        for month, court, proceeding, category in rows:
            by_age[age_band(month, today)] += 1
            by_proceeding[proceeding] += 1
            by_category[category] += 1
            by_court[court] += 1
    else:
        for name, value, n in _cohort_sums(area):
            if name == "day":
                by_age[age_band(value, today)] += n
            elif name == "key":
                by_category[int(value)] += n
            elif name == "proceeding_type":
                by_proceeding[value] += n
            else:
                by_court[value] += n
    return Backlog(
        pending=sum(by_age.values()),
        by_age=by_age,
        by_proceeding=dict(by_proceeding),
        by_category=sorted(((c, n) for c, n in by_category.items() if n), key=lambda x: -x[1]),
        by_court={c: n for c, n in by_court.items() if n},
    )


_COHORT_SETS = ("day", "proceeding_type", "key", "court_id")


def _cohort_sums(area: Area) -> Iterable[tuple[str, Any, int]]:
    """The pending cohorts summed by month of registration, proceeding type, category and court:
    (dimension, value, pending). On PostgreSQL one scan of the cohorts (GROUPING SETS); elsewhere four
    small sums (the country has hundreds of thousands of cohort rows: never brought over)."""
    if connection.vendor == "postgresql" and READ_ROLL_UPS:
        where = "figure = %s"
        params: list[Any] = [PENDING]
        if area.court_ids is not None:
            where += " AND court_id = ANY(%s)"
            params.append(sorted(area.court_ids))
        columns = "GROUPING(day), GROUPING(proceeding_type), GROUPING(key), day, proceeding_type, key, court_id"
        table, sets = Counter._meta.db_table, "((day), (proceeding_type), (key), (court_id))"
        sql = f"SELECT {columns}, SUM(count) FROM {table} WHERE {where} GROUP BY GROUPING SETS {sets}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for g_day, g_proceeding, g_key, day, proceeding, key, court, n in rows:
            if not g_day:
                yield "day", day, int(n or 0)
            elif not g_proceeding:
                yield "proceeding_type", proceeding, int(n or 0)
            elif not g_key:
                yield "key", key, int(n or 0)
            else:
                yield "court_id", court, int(n or 0)
        return
    cohorts = _in_area(Counter.objects.filter(figure=PENDING), area)
    for name in _COHORT_SETS:
        for r in cohorts.values(name).annotate(n=Sum("count")).order_by():
            yield name, r[name], int(r["n"] or 0)


@dataclass(frozen=True)
class Month:
    month: dt.date
    instituted: int
    disposed: int


def months(area: Area, start: dt.date, end: dt.date) -> list[Month]:
    """Instituted against disposed, month by month of [start, end]."""
    counts: defaultdict[tuple[dt.date, str], int] = defaultdict(int)
    if area.judge_id is not None:
        for change in _judge_increments(area.judge_id, start, end):
            if change.figure in ("instituted", "disposed"):
                counts[(change.day.replace(day=1), change.figure)] += change.count
    else:
        rows = _in_area(Counter.objects.filter(_counted_in(start, end, ["instituted", "disposed"])), area)
        for r in rows.values("figure", "day").annotate(c=Sum("count")).order_by():
            counts[(r["day"].replace(day=1), _figure(r["figure"]))] += int(r["c"] or 0)
    out = []
    month = start.replace(day=1)
    while month <= end:
        out.append(Month(month, counts[(month, "instituted")], counts[(month, "disposed")]))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def instituted_by_court(area: Area, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """(instituted, disposed) per court in the period."""
    rows = _in_area(Counter.objects.filter(_counted_in(start, end, ["instituted", "disposed"])), area)
    out: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows.values("court_id", "figure").annotate(c=Sum("count")).order_by():
        out[r["court_id"]][0 if _figure(r["figure"]) == "instituted" else 1] += int(r["c"] or 0)
    return {c: (i, d) for c, (i, d) in out.items()}


def pending_by_judge(court_id: int) -> dict[int, int]:
    rows = (
        Case.objects.filter(court_id=court_id, status__in=sorted(tally.PENDING), judge__isnull=False)
        .values("judge_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["judge_id"]: r["n"] for r in rows}


# The periodic report's movement of cases, by proceeding type

_MOVEMENT = ("instituted", "disposed", "disposed_in_term", "reopened")


def by_proceeding(area: Area, start: dt.date, end: dt.date) -> dict[str, Sums]:
    """The counters of the cases' movement in [start, end], summed per proceeding type (a place of
    courts: the periodic report is never a judge's)."""
    rows = _in_area(Counter.objects.filter(_counted_in(start, end, _MOVEMENT)), area)
    out: defaultdict[str, defaultdict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows.values("proceeding_type", "figure", "key").annotate(c=Sum("count"), a=Sum("amount")).order_by():
        sums = out[r["proceeding_type"]][(_figure(r["figure"]), r["key"])]
        sums[0] += int(r["c"] or 0)
        sums[1] += int(r["a"] or 0)
    return {
        proceeding: Sums(tallies={k: (c, a) for k, (c, a) in tallies.items()}, records={})
        for proceeding, tallies in out.items()
    }


def pending_at(area: Area, day: dt.date) -> dict[str, int]:
    """The cases pending at the end of `day`, per proceeding type: every case instituted or reopened
    on or before it less those disposed on or before it (the same counters as the backlog's cohorts,
    summed through a day instead of to today)."""
    pending: defaultdict[str, int] = defaultdict(int)
    for proceeding, sums in by_proceeding(area, clock.FIRST_DAY, day).items():
        pending[proceeding] = sums.count("instituted") + sums.count("reopened") - sums.count("disposed")
    return dict(pending)


def committee_return(period: str, level: str, code: str) -> "CommitteeReturn | None":
    """The signed report the workers made for the period and place, if they have."""
    return CommitteeReturn.objects.filter(period=period, level=level, place_code=code).first()


def courts_counted(start: dt.date, end: dt.date) -> list[int]:
    """The courts with any movement of cases counted in [start, end] (those the periodic report is made for)."""
    rows = Counter.objects.filter(_counted_in(start, end, _MOVEMENT)).values_list("court_id", flat=True)
    return sorted(set(rows.distinct().order_by()))


# The rebuild on PostgreSQL: the journal counted by the database (ADR 0111)

RECOUNT = "reports_recount"  # the session's temporary tables: partial sums per chunk, then the counters
RECOUNTED = "reports_recounted"


def _sql_names() -> dict[str, str]:
    from torelik.core.rows import column, table  # noqa: PLC0415

    return {
        "events": table(CaseEvent),
        "e_id": column(CaseEvent, "id"),
        "e_case": column(CaseEvent, "case"),
        "e_kind": column(CaseEvent, "kind"),
        "e_at": column(CaseEvent, "occurred_at"),
        "e_data": column(CaseEvent, "data"),
        "cases": table(Case),
        "c_id": column(Case, "id"),
        "c_court": column(Case, "court"),
        "c_proceeding": column(Case, "proceeding_type"),
        "c_category": column(Case, "category"),
        "c_channel": column(Case, "channel"),
        "c_registered": column(Case, "registered_at"),
        "c_status": column(Case, "status"),
        "counters": table(Counter),
    }


# `tally.increments` stated once more, as one statement over a range of the journal: what each entry
# counts (kinds, the pending boundary, the law's term, the keyed kinds) comes from `tally`'s tables as
# parameters; `test_recount.py` proves the two statements count the same journal alike.
_CHUNK_SQL = """
INSERT INTO {recount} (figure, day, court_id, proceeding_type, key, count, amount)
WITH e AS (
    SELECT ev.{e_kind} AS kind, (ev.{e_at} AT TIME ZONE %(tz)s)::date AS day,
           COALESCE(ev.{e_data} ->> 'from', '') AS before, COALESCE(ev.{e_data} ->> 'to', '') AS after,
           c.{c_court} AS court_id, c.{c_proceeding} AS proceeding_type, c.{c_category}::text AS category,
           c.{c_channel} AS channel, (c.{c_registered} AT TIME ZONE %(tz)s)::date AS registered
    FROM {events} ev JOIN {cases} c ON c.{c_id} = ev.{e_case}
    WHERE ev.{e_id} >= %(low)s AND ev.{e_id} < %(high)s AND ev.{e_kind} = ANY(%(kinds)s)
), s AS (
    SELECT e.*, e.before = ANY(%(pending)s) AS was, e.after = ANY(%(pending)s) AS now FROM e
), moved AS (
    SELECT s.*, (s.kind = %(registered)s OR (s.was AND NOT s.now) OR (NOT s.was AND s.now AND s.before <> ''))
           AS counted
    FROM s WHERE s.kind = %(registered)s OR s.kind = %(status)s
)
SELECT 'instituted', registered, court_id, proceeding_type, channel, count(*), 0
    FROM moved WHERE kind = %(registered)s GROUP BY 2, 3, 4, 5
UNION ALL
SELECT %(pending_figure)s, date_trunc('month', registered)::date, court_id, proceeding_type, category,
       sum(CASE WHEN kind = %(status)s AND was THEN -1 ELSE 1 END), 0
    FROM moved WHERE counted GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'disposed', day, court_id, proceeding_type, after, count(*), sum(day - registered)
    FROM moved WHERE kind = %(status)s AND was AND NOT now GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'disposed_in_term', day, court_id, proceeding_type, '', count(*), 0
    FROM moved
    WHERE kind = %(status)s AND was AND NOT now
      AND day <= (registered + make_interval(months => COALESCE(
          (SELECT t.months FROM unnest(%(term_types)s::text[], %(term_months)s::int[]) AS t(proceeding, months)
           WHERE t.proceeding = moved.proceeding_type), %(default_months)s)))::date
    GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'reopened', day, court_id, proceeding_type, '', count(*), 0
    FROM moved WHERE kind = %(status)s AND NOT was AND now AND before <> '' GROUP BY 2, 3, 4, 5
UNION ALL
SELECT %(coupons_figure)s, registered, court_id, proceeding_type, '', count(*), 0
    FROM s WHERE kind = %(coupon)s AND channel = %(paper)s GROUP BY 2, 3, 4, 5
UNION ALL
SELECT f.figure, s.day, s.court_id, s.proceeding_type, CASE WHEN s.kind = ANY(%(keyed)s) THEN s.kind ELSE '' END,
       count(*), 0
    FROM s JOIN unnest(%(counted_kinds)s::text[], %(counted_figures)s::text[]) AS f(kind, figure) ON f.kind = s.kind
    GROUP BY 1, 2, 3, 4, 5
"""


@dataclass(frozen=True)
class Recounted:
    """The counters the database counted from the journal, kept in the session's table RECOUNTED."""

    counters: int
    differences: list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]  # the first SHOWN
    status_differences: list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]
    difference_count: int
    status_difference_count: int


SHOWN = 20  # differences the rebuild prints


def _pairs(rows: Iterable[tuple[Any, ...]]) -> list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]:
    out = []
    for figure, day, court, proceeding, key, c1, a1, c2, a2 in rows:
        left = (int(c1), int(a1)) if c1 is not None else None
        right = (int(c2), int(a2)) if c2 is not None else None
        out.append(((figure, day, court, proceeding, key), left, right))
    return sorted(out, key=lambda d: str(d[0]))


def recount_in_database(*, progress: Callable[[int, int], None] | None = None, chunk: int = 500_000) -> Recounted:
    """PostgreSQL: every counter counted again by the database from the journal, a range of `chunk`
    journal ids at a time (`progress(ids read, ids)` after each), into the session's table RECOUNTED with
    the months' roll-ups; compared there with the live counters and the cases' statuses."""
    names = _sql_names()
    params: dict[str, Any] = {
        "tz": tally.zone_name(),
        "kinds": sorted(tally.KINDS),
        "pending": sorted(tally.PENDING),
        "registered": CaseEventKind.REGISTERED,
        "status": CaseEventKind.STATUS_CHANGED,
        "pending_figure": PENDING,
        "term_types": list(tally.TERM_MONTHS),
        "term_months": list(tally.TERM_MONTHS.values()),
        "default_months": tally.DEFAULT_TERM_MONTHS,
        "keyed": sorted(tally.KEYED),
        "counted_kinds": list(tally.COUNTED),
        "counted_figures": list(tally.COUNTED.values()),
        "coupons_figure": tally.COUPONS,
        "coupon": CaseEventKind.COUPON_ISSUED,
        "paper": Channel.PAPER,
    }
    columns = "figure varchar(40), day date, court_id bigint, proceeding_type varchar(25), key varchar(40), "
    with connection.cursor() as cursor:
        for name in (RECOUNT, RECOUNTED):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TEMPORARY TABLE {RECOUNT} ({columns} count bigint, amount bigint)")
        cursor.execute(f"SELECT min({names['e_id']}), max({names['e_id']}) FROM {names['events']}")  # noqa: S608
        first, last = cursor.fetchone() or (None, None)
        if first is not None and last is not None:
            statement = _CHUNK_SQL.format(recount=RECOUNT, **names)
            for low in range(first, last + 1, chunk):
                cursor.execute(statement, {**params, "low": low, "high": low + chunk})
                if progress is not None:
                    progress(min(low + chunk, last + 1) - first, last + 1 - first)
        # The counters beside the journal's tally (ADR 0109), counted from their records by the ORM.
        cursor.executemany(
            f"INSERT INTO {RECOUNT} (figure, day, court_id, proceeding_type, key, count, amount) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(*k, c, a) for k, (c, a) in beside_journal.count_beside_journal().items()],
        )
        key = "figure, day, court_id, proceeding_type, key"
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RECOUNTED} AS SELECT {key}, sum(count)::bigint AS count, "  # noqa: S608
            f"sum(amount)::bigint AS amount FROM {RECOUNT} GROUP BY {key}"
        )
        cursor.execute(
            f"INSERT INTO {RECOUNTED} SELECT %s || figure, date_trunc('month', day)::date, court_id, "  # noqa: S608
            f"proceeding_type, key, sum(count), sum(amount) FROM {RECOUNTED} WHERE figure <> %s "
            "GROUP BY figure, date_trunc('month', day), court_id, proceeding_type, key",
            [tally.MONTHLY, PENDING],
        )
        cursor.execute(f"DELETE FROM {RECOUNTED} WHERE count = 0 AND amount = 0")  # noqa: S608
        cursor.execute(f"DROP TABLE {RECOUNT}")
        cursor.execute(
            f"ANALYZE {RECOUNTED}"
        )  # a temporary table has no statistics until asked: the joins below need them
        cursor.execute(f"SELECT count(*) FROM {RECOUNTED}")  # noqa: S608
        counters = int((cursor.fetchone() or (0,))[0])
        on = " AND ".join(f"r.{c} = l.{c}" for c in ("figure", "day", "court_id", "proceeding_type", "key"))
        pick = ", ".join(f"COALESCE(r.{c}, l.{c})" for c in ("figure", "day", "court_id", "proceeding_type", "key"))
        cursor.execute(
            f"SELECT {pick}, r.count, r.amount, l.count, l.amount FROM {RECOUNTED} r FULL OUTER JOIN "  # noqa: S608
            f"(SELECT * FROM {names['counters']} WHERE count <> 0 OR amount <> 0) l ON {on} "
            "WHERE r.figure IS NULL OR l.figure IS NULL OR r.count <> l.count OR r.amount <> l.amount"
        )
        differences, difference_count = _sample(cursor)
        month = f"date_trunc('month', {names['c_registered']} AT TIME ZONE %(tz)s)::date"
        from_cases = (
            f"SELECT %(pending)s::varchar AS figure, {month} AS day, {names['c_court']} AS court_id, "  # noqa: S608
            f"{names['c_proceeding']} AS proceeding_type, {names['c_category']}::text AS key, count(*) AS count, "
            f"0 AS amount FROM {names['cases']} WHERE {names['c_status']} = ANY(%(statuses)s) GROUP BY 2, 3, 4, 5"
        )
        cursor.execute(
            f"SELECT {pick}, r.count, r.amount, l.count, l.amount FROM "  # noqa: S608
            f"(SELECT * FROM {RECOUNTED} WHERE figure = %(pending)s) r FULL OUTER JOIN ({from_cases}) l ON {on} "
            "WHERE r.figure IS NULL OR l.figure IS NULL OR r.count <> l.count",
            {"pending": PENDING, "tz": tally.zone_name(), "statuses": sorted(tally.PENDING)},
        )
        status_differences, status_count = _sample(cursor)
    return Recounted(counters, differences, status_differences, difference_count, status_count)


def _sample(
    cursor: Any, shown: int = SHOWN
) -> tuple[list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]], int]:
    """The first `shown` differences the cursor holds, and how many it holds (never all brought over: a
    rebuild over empty counters differs in every one)."""
    rows = cursor.fetchmany(shown)
    total = len(rows)
    while batch := cursor.fetchmany(10_000):
        total += len(batch)
    return _pairs(rows), total


def recounted() -> Counted:
    """The counters of the last `recount_in_database` of this session (tests compare them with the tally's)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT figure, day, court_id, proceeding_type, key, count, amount FROM {RECOUNTED}")  # noqa: S608
        return {(f, d, c, p, k): (int(n), int(a)) for f, d, c, p, k, n, a in cursor.fetchall()}
