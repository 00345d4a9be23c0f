"""What a statistics page, an export and the open API show of a place and a period, assembled once:
the figures by their definitions (with their descriptions), the backlog by age, proceeding, category
and month, and the places one level down. Numbers as the page's language writes them beside the
raw values (the API and the exports take the raw ones)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.core import numbers
from torelik.courts.models import CaseCategory, Court, Judge, ProceedingType, Region
from torelik.helpline.models import Category as CallCategory
from torelik.reports import definitions, periods, queries
from torelik.reports.definitions import Unit

AGE_LABELS: dict[str, Promise] = {
    "under_1": _("under 1 year"),
    "1_3": _("1 to 3 years"),
    "3_5": _("3 to 5 years"),
    "5_10": _("5 to 10 years"),
    "over_10": _("over 10 years"),
}


class Level:
    COUNTRY = "country"
    REGION = "region"
    COURT = "court"
    JUDGE = "judge"


@dataclass(frozen=True)
class Place:
    level: str
    area: queries.Area
    region: Region | None = None
    court: Court | None = None
    judge: Judge | None = None

    @property
    def name(self) -> str:
        if self.judge is not None:
            return self.judge.person.full_name
        if self.court is not None:
            return self.court.name
        if self.region is not None:
            return self.region.name
        return str(_("Republic of Kazakhstan"))

    @property
    def code(self) -> str:
        if self.judge is not None:
            return str(self.judge.pk)
        if self.court is not None:
            return self.court.code
        return self.region.code if self.region is not None else ""


def country() -> Place:
    return Place(Level.COUNTRY, queries.Area(court_ids=None))


def region(region: Region) -> Place:
    ids = frozenset(Court.objects.filter(region=region).values_list("pk", flat=True))
    return Place(Level.REGION, queries.Area(court_ids=ids), region=region)


def court(court: Court) -> Place:
    return Place(Level.COURT, queries.Area(court_ids=frozenset({court.pk})), region=court.region, court=court)


def judge(judge: Judge) -> Place:
    return Place(
        Level.JUDGE,
        queries.Area(court_ids=None, judge_id=judge.pk),
        region=judge.court.region,
        court=judge.court,
        judge=judge,
    )


def shown(value: definitions.Value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{numbers.number(value, 1)} %"
    if unit == Unit.TENGE:
        return numbers.amount(Decimal(value))
    if unit in (Unit.DAYS, Unit.AVERAGE):
        return numbers.number(value, 1)
    return numbers.number(value)


@dataclass(frozen=True)
class FigureRow:
    key: str
    group: str
    group_label: str
    label: str
    description: str
    unit: str
    value: definitions.Value
    shown: str


@dataclass(frozen=True)
class Row:
    """One line of a table: a label, the place's code for a drill-down link, and its numbers."""

    label: str
    code: str
    values: tuple[int, ...]
    shown: tuple[str, ...]


def _row(label: str, code: str, *values: int) -> Row:
    return Row(label, code, tuple(values), tuple(numbers.number(v) for v in values))


@dataclass
class Dashboard:
    place: Place
    period: periods.Period
    figures: list[FigureRow]
    pending: int
    pending_shown: str
    by_age: list[Row]
    by_proceeding: list[Row]
    by_category: list[Row]
    months: list[queries.Month]
    month_rows: list[Row]
    children: list[Row] = field(default_factory=list)
    children_level: str = ""
    helpline_categories: list[Row] = field(default_factory=list)


def month_label(month: dt.date) -> str:
    return f"{month:%m.%Y}"


def build(place: Place, period: periods.Period, *, public: bool, categories: int = 15) -> Dashboard:
    sums = queries.sums(place.area, period.start, period.end)
    figures = [
        FigureRow(
            key=s.figure.key,
            group=s.figure.group,
            group_label=str(definitions.GROUPS[s.figure.group]),
            label=str(s.figure.label),
            description=str(s.figure.description),
            unit=s.figure.unit,
            value=s.value,
            shown=shown(s.value, s.figure.unit),
        )
        for s in definitions.compute(sums, judge=place.level == Level.JUDGE)
    ]
    backlog = queries.backlog(place.area)
    first, last = periods.last_months(period.end)
    months = queries.months(place.area, first, last)
    names = {
        c.pk: c.name for c in CaseCategory.objects.filter(pk__in=[c for c, _n in backlog.by_category[:categories]])
    }
    board = Dashboard(
        place=place,
        period=period,
        figures=figures,
        pending=backlog.pending,
        pending_shown=numbers.number(backlog.pending),
        by_age=[_row(str(AGE_LABELS[key]), key, n) for key, n in backlog.by_age.items()],
        by_proceeding=[
            _row(str(ProceedingType(p).label) if p in ProceedingType.values else p, p, n)
            for p, n in sorted(backlog.by_proceeding.items(), key=lambda x: -x[1])
            if n
        ],
        by_category=[_row(names.get(c, ""), str(c), n) for c, n in backlog.by_category[:categories]],
        months=months,
        month_rows=[_row(month_label(m.month), m.month.isoformat(), m.instituted, m.disposed) for m in months],
    )
    board.helpline_categories = _helpline_categories(sums)
    _children(board, backlog, public=public)
    return board


HELPLINE_CATEGORY = "helpline_category_"


def _helpline_categories(sums: queries.Sums) -> list[Row]:
    """The calls of the period by the helpline's category (`queries.helpline_records`), most first."""
    counts = {
        name.removeprefix(HELPLINE_CATEGORY): int(n)
        for name, n in sums.records.items()
        if name.startswith(HELPLINE_CATEGORY) and n
    }
    names = {c.code: c.name for c in CallCategory.objects.filter(code__in=sorted(counts))}
    return [_row(names.get(code, code), code, n) for code, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


def _children(board: Dashboard, backlog: queries.Backlog, *, public: bool) -> None:
    place, period = board.place, board.period
    if place.level == Level.JUDGE:
        return
    flows = queries.instituted_by_court(place.area, period.start, period.end)
    if place.level == Level.COUNTRY:
        pending: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        region_of = dict(Court.objects.values_list("pk", "region_id"))
        for court_id, n in backlog.by_court.items():
            pending[region_of.get(court_id) or 0][0] += n
        for court_id, (i, d) in flows.items():
            sums = pending[region_of.get(court_id) or 0]
            sums[1] += i
            sums[2] += d
        regions = Region.objects.order_by("code")
        board.children = [_row(r.name, r.code, *pending.get(r.pk, [0, 0, 0])) for r in regions]
        board.children_level = Level.REGION
    elif place.level == Level.REGION:
        courts = Court.objects.filter(pk__in=sorted(place.area.court_ids or ())).order_by("code")
        board.children = [_row(c.name, c.code, backlog.by_court.get(c.pk, 0), *flows.get(c.pk, (0, 0))) for c in courts]
        board.children_level = Level.COURT
    elif not public and place.court is not None:
        # The judges of the court: the cases each has pending today (staff only).
        judges = Judge.objects.select_related("person").filter(court=place.court).order_by("person__surname")
        counts = queries.pending_by_judge(place.court.pk)
        board.children = [_row(j.person.full_name, str(j.pk), counts.get(j.pk, 0)) for j in judges]
        board.children_level = Level.JUDGE
