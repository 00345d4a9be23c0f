"""JSON API of the deadlines context: the working calendar and term arithmetic (public), a case's
terms with the computation spelled out, the control dashboards, and extending a term."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from torelik.core import clock
from torelik.core.api import Day, ErrorOut, NotAuthenticatedError, Session
from torelik.courts.models import Court
from torelik.deadlines import access, actions, queries
from torelik.deadlines.errors import DeadlinesError, DeadlinesErrorCode
from torelik.deadlines.models import TermUnit
from torelik.deadlines.working_calendar import Computation, DayInfo, TermTooLongError, working_calendar
from torelik.identity.models import User

router = Router(tags=["deadlines"])


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


# --- The calendar ------------------------------------------------------------------------------


class DayOut(BaseModel):
    date: dt.date
    working: bool
    reason: str | None = Field(description="weekend, holiday, declared_non_working; null for a working day")
    name: str
    legal_act: str
    provisional: bool = Field(
        default=False, description="the day depends on an act not adopted yet (its date or status may change)"
    )


def _day(info: DayInfo) -> DayOut:
    return DayOut(
        date=info.day,
        working=info.working,
        reason=info.reason.value if info.reason else None,
        name=info.name,
        legal_act=info.legal_act,
        provisional=info.provisional,
    )


class CalendarOut(BaseModel):
    year: int
    non_working_days: list[DayOut]
    working_weekend_days: list[DayOut]
    working_day_count: int


class YearIn(Schema):
    year: int = Field(ge=1992, le=2100)


@router.get("/calendar", response={200: CalendarOut, 422: ErrorOut}, summary="The working calendar of a year")
def get_calendar(request: HttpRequest, filters: Query[YearIn]) -> CalendarOut:
    calendar = working_calendar()
    days = calendar.non_working_days(filters.year)
    off = [d for d in days if not d.working]
    length = (dt.date(filters.year + 1, 1, 1) - dt.date(filters.year, 1, 1)).days
    return CalendarOut(
        year=filters.year,
        non_working_days=[_day(d) for d in off],
        working_weekend_days=[_day(d) for d in days if d.working],
        working_day_count=length - len(off),
    )


class TermIn(Schema):
    start: Day = Field(description="the day of the event that starts the term (YYYY-MM-DD)")
    amount: int = Field(ge=1, le=1000)
    unit: TermUnit


class TermComputationOut(BaseModel):
    start: dt.date
    amount: int
    unit: TermUnit
    first_day: dt.date = Field(description="the term runs from the day after the event")
    nominal_end: dt.date = Field(description="the last day before moving off a non-working day")
    end: dt.date
    moved: bool
    skipped: list[DayOut]


def _computation(result: Computation) -> TermComputationOut:
    return TermComputationOut(
        start=result.event_date,
        amount=result.amount,
        unit=TermUnit(result.unit),
        first_day=result.first_day,
        nominal_end=result.nominal_end,
        end=result.end,
        moved=result.moved,
        skipped=[_day(d) for d in result.skipped],
    )


@router.get(
    "/calendar/terms",
    response={200: TermComputationOut, 422: ErrorOut},
    summary="The last day of a term, with the days skipped and why",
)
def compute_term(request: HttpRequest, term: Query[TermIn]) -> TermComputationOut:
    try:
        result = working_calendar().add(term.start, term.amount, term.unit)
    except (TermTooLongError, OverflowError, ValueError) as error:  # ValueError: past year 9999
        message = gettext_lazy("A term may not reach more than three years ahead.")
        raise DeadlinesError(DeadlinesErrorCode.TERM_TOO_LONG, message, fields={"amount": [str(message)]}) from error
    return _computation(result)


# --- A case's terms ------------------------------------------------------------------------------


class TermOut(BaseModel):
    id: int
    rule: str
    name: str
    legal_basis: str
    verify: bool
    responsible: str
    status: str
    expired: bool
    started_by: str
    event_date: dt.date
    amount: int
    unit: TermUnit
    due_date: dt.date
    original_due_date: dt.date
    closed_on: dt.date | None
    computation: TermComputationOut
    adjustments: list[dict[str, Any]]
    history: list[dict[str, Any]]
    provisional_days: list[DayOut] = Field(
        default_factory=list, description="days within the term that depend on an act not adopted yet"
    )


def _term(explanation: queries.Explanation) -> TermOut:
    term = explanation.term
    return TermOut(
        id=term.pk,
        rule=term.rule.code,
        name=term.rule.name,
        legal_basis=term.rule.legal_basis,
        verify=term.rule.verify,
        responsible=term.responsible,
        status=term.status,
        expired=explanation.expired,
        started_by=term.started_by,
        event_date=term.event_date,
        amount=term.amount,
        unit=TermUnit(term.unit),
        due_date=term.due_date,
        original_due_date=term.original_due_date,
        closed_on=term.closed_on,
        computation=_computation(explanation.base),
        adjustments=explanation.adjustments,
        history=list(term.history),
        provisional_days=[_day(day) for day in explanation.provisional],
    )


@router.get(
    "/deadlines/cases/{path:number}/terms",
    auth=Session(),
    response={200: list[TermOut], 401: ErrorOut, 404: ErrorOut},
    summary="The terms of a case, each with how its last day was computed",
)
def case_terms(request: HttpRequest, number: str, response: HttpResponse) -> list[TermOut]:
    case = access.case_for(_user(request), number, ip_address=request.META.get("REMOTE_ADDR") or None)
    add_never_cache_headers(response)
    terms = list(queries.terms_of_case(case))
    return [_term(e) for e in queries.explanations(terms, clock.today())]


class ExtensionIn(Schema):
    amount: int = Field(ge=1, le=366)
    unit: TermUnit
    basis: str = Field(min_length=1, max_length=300, description="the ruling that extends the term")


@router.post(
    "/deadlines/terms/{int:term_id}/extension",
    auth=Session(),
    response={200: TermOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Extend a running or paused term by a ruling (judge or chairman of the court)",
)
def extend(request: HttpRequest, term_id: int, extension: ExtensionIn) -> TermOut:
    user = _user(request)
    term = access.term_for(user, term_id)
    if user is None:  # pragma: no cover - the route's auth guarantees it
        raise NotAuthenticatedError("not_authenticated", gettext_lazy("Log in to use this part of the API."))
    extended = actions.extend_term(
        term=term, amount=extension.amount, unit=extension.unit, basis=extension.basis, actor=user
    )
    return _term(queries.explain(extended, clock.today()))


# --- Dashboards ----------------------------------------------------------------------------------


class CountsOut(BaseModel):
    running: int
    due_soon: int
    overdue: int
    paused: int
    met: int
    missed: int
    share_met: float | None


class RowOut(BaseModel):
    key: str
    label: str
    counts: CountsOut


class DashboardOut(BaseModel):
    today: dt.date
    totals: CountsOut
    rows: list[RowOut]
    regions: list[RowOut] = []


def _counts(counts: queries.TermCounts) -> CountsOut:
    return CountsOut(
        running=counts.running,
        due_soon=counts.due_soon,
        overdue=counts.overdue,
        paused=counts.paused,
        met=counts.met,
        missed=counts.missed,
        share_met=counts.share_met,
    )


def _rows(rows: list[queries.Row]) -> list[RowOut]:
    return [RowOut(key=r.key, label=r.label, counts=_counts(r.counts)) for r in rows]


def _total(rows: list[queries.Row]) -> queries.TermCounts:
    total = queries.TermCounts()
    for row in rows:
        total = total + row.counts
    return total


@router.get(
    "/deadlines/dashboard/judge",
    auth=Session(),
    response={200: DashboardOut, 401: ErrorOut, 403: ErrorOut},
    summary="My terms as a judge",
)
def judge_dashboard(request: HttpRequest) -> DashboardOut:
    judge = access.judge_for(_user(request))
    today = clock.today()
    totals = queries.judge_counts(judge, today)
    return DashboardOut(today=today, totals=_counts(totals), rows=[])


@router.get(
    "/deadlines/dashboard/courts/{code}",
    auth=Session(),
    response={200: DashboardOut, 401: ErrorOut, 403: ErrorOut},
    summary="A court's terms per judge",
)
def court_dashboard(request: HttpRequest, code: str) -> DashboardOut:
    court = access.court_for(_user(request), code)
    today = clock.today()
    rows = queries.per_judge(court, today)
    return DashboardOut(today=today, totals=_counts(_total(rows)), rows=_rows(rows))


@router.get(
    "/deadlines/dashboard/regions/{code}",
    auth=Session(),
    response={200: DashboardOut, 401: ErrorOut, 403: ErrorOut},
    summary="A region's terms per court",
)
def region_dashboard(request: HttpRequest, code: str) -> DashboardOut:
    region = access.region_for(_user(request), code)
    today = clock.today()
    rows = queries.per_court(Court.objects.filter(region=region), today)
    return DashboardOut(today=today, totals=_counts(_total(rows)), rows=_rows(rows))


@router.get(
    "/deadlines/dashboard/national",
    auth=Session(),
    response={200: DashboardOut, 401: ErrorOut, 403: ErrorOut},
    summary="The country's terms per region and per court (Supreme Court)",
)
def national_dashboard(request: HttpRequest) -> DashboardOut:
    access.require_national(_user(request))
    today = clock.today()
    regions, courts = queries.national(today)
    return DashboardOut(today=today, totals=_counts(_total(regions)), rows=_rows(courts), regions=_rows(regions))
