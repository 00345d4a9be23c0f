"""The open statistics as JSON: the figures of the country, a region or a court for a period with
their definitions, the backlog (by age, proceedings, category, month and place), and the definitions
alone. No account; no judge-level figure."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from torelik.core.api import ErrorOut
from torelik.reports import access, dashboard, definitions, periods
from torelik.reports.dashboard import Dashboard, Place

router = Router(tags=["statistics"])


class PeriodOut(Schema):
    text: str
    grain: str
    start: str
    end: str


class PlaceOut(Schema):
    level: str
    code: str
    name: str


class FigureOut(Schema):
    key: str
    group: str
    label: str
    description: str
    unit: str
    value: int | float | str | None


class FiguresOut(Schema):
    place: PlaceOut
    period: PeriodOut
    figures: list[FigureOut]


class CountOut(Schema):
    key: str
    label: str
    pending: int


class MonthOut(Schema):
    month: str
    instituted: int
    disposed: int


class PlaceRowOut(Schema):
    code: str
    name: str
    pending: int
    instituted: int
    disposed: int


class BacklogOut(Schema):
    place: PlaceOut
    period: PeriodOut
    pending: int
    by_age: list[CountOut]
    by_proceeding: list[CountOut]
    by_category: list[CountOut]
    months: list[MonthOut]
    places: list[PlaceRowOut]


class DefinitionOut(Schema):
    key: str
    group: str
    label: str
    description: str
    unit: str


def _place(region: str, court: str) -> Place:
    if court:
        return dashboard.court(access.public_court(court))
    if region:
        return dashboard.region(access.public_region(region))
    return dashboard.country()


def _board(region: str, court: str, period: str) -> Dashboard:
    return dashboard.build(_place(region, court), periods.parse(period), public=True)


def _heading(board: Dashboard) -> tuple[PlaceOut, PeriodOut]:
    p = board.period
    return (
        PlaceOut(level=board.place.level, code=board.place.code, name=board.place.name),
        PeriodOut(text=p.text, grain=p.grain, start=p.start.isoformat(), end=p.end.isoformat()),
    )


def _value(value: definitions.Value) -> int | float | str | None:
    return str(value) if isinstance(value, Decimal) else value


@router.get(
    "/statistics/figures",
    response={200: FiguresOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="The courts' figures of the country, a region or a court for a period, each with its definition",
)
def figures(request: HttpRequest, period: str = "", region: str = "", court: str = "") -> FiguresOut:
    board = _board(region, court, period)
    place, span = _heading(board)
    return FiguresOut(
        place=place,
        period=span,
        figures=[
            FigureOut(
                key=f.key,
                group=f.group,
                label=f.label,
                description=f.description,
                unit=f.unit,
                value=_value(f.value),
            )
            for f in board.figures
        ],
    )


@router.get(
    "/statistics/backlog",
    response={200: BacklogOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Pending cases today by age, proceedings, category and place; instituted and disposed by month",
)
def backlog(request: HttpRequest, period: str = "", region: str = "", court: str = "") -> BacklogOut:
    board = _board(region, court, period)
    place, span = _heading(board)
    return BacklogOut(
        place=place,
        period=span,
        pending=board.pending,
        by_age=[CountOut(key=r.code, label=r.label, pending=r.values[0]) for r in board.by_age],
        by_proceeding=[CountOut(key=r.code, label=r.label, pending=r.values[0]) for r in board.by_proceeding],
        by_category=[CountOut(key=r.code, label=r.label, pending=r.values[0]) for r in board.by_category],
        months=[
            MonthOut(month=m.month.strftime("%Y-%m"), instituted=m.instituted, disposed=m.disposed)
            for m in board.months
        ],
        places=[
            PlaceRowOut(code=r.code, name=r.label, pending=r.values[0], instituted=r.values[1], disposed=r.values[2])
            for r in board.children
        ],
    )


@router.get(
    "/statistics/definitions",
    response={200: list[DefinitionOut]},
    auth=None,
    summary="What each figure counts, from which record or journal entry, on which date",
)
def figure_definitions(request: HttpRequest) -> list[DefinitionOut]:
    return [
        DefinitionOut(key=f.key, group=f.group, label=str(f.label), description=str(f.description), unit=f.unit)
        for f in definitions.FIGURES
    ]
