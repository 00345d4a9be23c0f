"""Pages of the deadlines context: the control dashboards (judge, court per judge with drill-down,
region per court, country per region and court), each exportable as CSV, and a case's terms with
how each last day was computed (what a party reads: "you may appeal until ...")."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from torelik.cases.errors import CaseNotFoundError
from torelik.core import clock
from torelik.core.charts import stacked_chart
from torelik.core.errors import DomainError
from torelik.core.numbers import number
from torelik.core.replicas import reads_from_replica
from torelik.courts.models import Court, Region
from torelik.deadlines import access, actions, queries
from torelik.deadlines.models import COURT_DUTIES, DUE_SOON_DAYS, Responsible, Term
from torelik.deadlines.queries import STATE_LABELS, Row, TermCounts, TermState
from torelik.identity.models import User

LIST_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "deadlines/refused.html", {"message": error.message}, status=error.http_status)


def _state(request: HttpRequest) -> TermState | None:
    value = request.GET.get("state", "")
    return TermState(value) if value in {s.value for s in TermState} else None


def _states() -> list[tuple[str, str]]:
    return [(state.value, str(label)) for state, label in STATE_LABELS.items()]


def _csv(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 by its BOM
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _counts_header(first: str) -> list[str]:
    return [first, *(str(label) for label in STATE_LABELS.values()), _("share met on time")]


def _counts_cells(counts: TermCounts) -> list[object]:
    share = counts.share_met
    return [*(getattr(counts, s.value) for s in TermState), "" if share is None else f"{share:.4f}"]


def _rows_csv(filename: str, first: str, rows: list[Row]) -> HttpResponse:
    return _csv(filename, ["code", *_counts_header(first)], [[r.key, r.label, *_counts_cells(r.counts)] for r in rows])


def _terms_csv(filename: str, terms: QuerySet[Term]) -> HttpResponse:
    header = [_("Case"), _("Court"), _("Judge"), _("Term"), _("Legal basis"), _("Last day"), _("Status")]
    rows: list[list[object]] = [
        [
            t.case.number,
            t.court.code,
            t.judge.person.full_name if t.judge else "",
            t.rule.name,
            t.rule.legal_basis,
            t.due_date.isoformat(),
            t.get_status_display(),
        ]
        for t in terms[:50_000]
    ]
    return _csv(filename, header, rows)


# The chart's parts: their colours and names in the legend (running here means more than 3 days left).
CHART_PARTS = [
    (TermState.MET, "#2e7d32", gettext_lazy("met on time")),
    (TermState.MISSED, "#f39c12", gettext_lazy("met late")),
    (TermState.OVERDUE, "#a4001a", gettext_lazy("overdue")),
    (TermState.RUNNING, "#1f5c99", gettext_lazy("running, more than 3 days left")),
    (TermState.DUE_SOON, "#f3b700", gettext_lazy("due within 3 days")),
    (TermState.PAUSED, "#9aa5b1", gettext_lazy("paused")),
]


def _chart(rows: list[Row]) -> dict[str, object]:
    """The rows' terms as stacked bars on one scale, where the numbers of many courts or judges pile up."""
    colours = {state.value: colour for state, colour, _label in CHART_PARTS}
    names = {state.value: label for state, _colour, label in CHART_PARTS}
    chart = stacked_chart([(row.label, row.counts.parts()) for row in rows])
    bars = [
        {
            "row": bar,
            "total": number(bar.total),
            "segments": [
                {"segment": s, "colour": colours[s.key], "title": f"{names[s.key]}: {number(s.value)}"}
                for s in bar.segments
            ],
        }
        for bar in chart.rows
    ]
    return {"chart": chart, "bars": bars, "legend": [(colour, label) for _s, colour, label in CHART_PARTS]}


def _total(rows: list[Row]) -> TermCounts:
    total = TermCounts()
    for row in rows:
        total = total + row.counts
    return total


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard that fits the user's seat: the country, a region, a court, or their own terms."""
    scope = access.scope_of(_user(request))
    if scope.national:
        return redirect("deadlines:national")
    if scope.region_ids:
        region = Region.objects.filter(pk__in=scope.region_ids).order_by("code").first()
        if region is not None:
            return redirect("deadlines:region", region.code)
    if scope.judge is not None:
        return redirect("deadlines:judge")
    court = Court.objects.filter(pk__in=scope.court_ids).order_by("code").first()
    if court is not None:
        return redirect("deadlines:court", court.code)
    return render(
        request, "deadlines/refused.html", {"message": _("Your account does not control any terms.")}, status=403
    )


def _term_page(request: HttpRequest, terms: QuerySet[Term]) -> dict[str, object]:
    page = Paginator(terms, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "query_string": query.urlencode(),
        "provisional_terms": queries.terms_on_provisional_days(page.object_list),
    }


@never_cache
@login_required
def judge(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        seat = access.judge_for(user)
    except DomainError as error:
        return _refused(request, error)
    today = clock.today()
    mine = queries.controlled_terms().filter(judge=seat)
    state = _state(request)
    listed = queries.term_list(mine, state or TermState.OVERDUE, today)
    if request.GET.get("format") == "csv":
        return _terms_csv(f"terms-{today:%Y%m%d}.csv", listed)
    return render(
        request,
        "deadlines/judge.html",
        {
            "judge": seat,
            "today": today,
            "counts": queries.judge_counts(seat, today),
            "due_soon": queries.term_list(mine, TermState.DUE_SOON, today)[:50],
            "state": state or TermState.OVERDUE,
            "states": _states(),
            "warnings": queries.warnings_for(user)[:50] if user is not None else [],
            **_term_page(request, listed),
        },
    )


@never_cache
@login_required
@reads_from_replica
def court(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    try:
        seat = access.court_for(user, code)
    except DomainError as error:
        return _refused(request, error)
    today = clock.today()
    rows = queries.per_judge(seat, today)
    judge_key = request.GET.get("judge", "")
    state = _state(request)
    if request.GET.get("format") == "csv" and not judge_key and state is None:
        return _rows_csv(f"terms-{seat.code}-{today:%Y%m%d}.csv", _("Judge"), rows)
    drill: dict[str, object] = {}
    if judge_key or state is not None:
        terms = queries.controlled_terms().filter(court=seat)
        if judge_key == "none":
            terms = terms.filter(judge__isnull=True)
        elif judge_key.isdigit():
            terms = terms.filter(judge_id=int(judge_key))
        listed = queries.term_list(terms, state, today)
        if request.GET.get("format") == "csv":
            return _terms_csv(f"terms-{seat.code}-{today:%Y%m%d}.csv", listed)
        drill = _term_page(request, listed)
    return render(
        request,
        "deadlines/court.html",
        {
            "court": seat,
            "today": today,
            "rows": rows,
            "total": _total(rows),
            "terms_chart": _chart(rows),
            "state": state,
            "judge_key": judge_key,
            "states": _states(),
            **drill,
        },
    )


@never_cache
@login_required
@reads_from_replica
def region(request: HttpRequest, code: str) -> HttpResponse:
    try:
        seat = access.region_for(_user(request), code)
    except DomainError as error:
        return _refused(request, error)
    today = clock.today()
    rows = queries.per_court(Court.objects.filter(region=seat), today)
    if request.GET.get("format") == "csv":
        return _rows_csv(f"terms-region-{seat.code}-{today:%Y%m%d}.csv", _("Court"), rows)
    return render(
        request,
        "deadlines/region.html",
        {"region": seat, "today": today, "rows": rows, "total": _total(rows), "terms_chart": _chart(rows)},
    )


WORST_COURTS = 20


@never_cache
@login_required
@reads_from_replica
def national(request: HttpRequest) -> HttpResponse:
    try:
        access.require_national(_user(request))
    except DomainError as error:
        return _refused(request, error)
    today = clock.today()
    regions, courts = queries.national(today)
    wanted = request.GET.get("region", "")
    if wanted:
        courts = [r for r in courts if r.region is not None and r.region.code == wanted]
    # The page lists a chosen region's courts, or else the courts with the most terms not met on time
    # (a country has hundreds of courts: the full list is the CSV and each region's page).
    shown = courts if wanted else sorted(courts, key=lambda r: (-(r.counts.overdue + r.counts.missed), r.key))
    shown = shown if wanted else shown[:WORST_COURTS]
    if request.GET.get("format") == "csv":
        by = request.GET.get("by", "region")
        if by == "court":
            return _rows_csv(f"terms-courts-{today:%Y%m%d}.csv", _("Court"), courts)
        return _rows_csv(f"terms-regions-{today:%Y%m%d}.csv", _("Region"), regions)
    return render(
        request,
        "deadlines/national.html",
        {
            "today": today,
            "regions": regions,
            "courts": shown,
            "court_count": len(courts),
            "total": _total(regions),
            "wanted": wanted,
            "terms_chart": _chart(regions),
        },
    )


@never_cache
@login_required
def case_terms(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access.case_for(user, number, ip_address=request.META.get("REMOTE_ADDR") or None)
    except CaseNotFoundError as error:
        return render(request, "deadlines/refused.html", {"message": error.message}, status=404)
    today = clock.today()
    explained = queries.explanations(list(queries.terms_of_case(case)), today)
    is_staff = access.scope_of(user).national or case.court_id in access.scope_of(user).court_ids
    return render(
        request,
        "deadlines/case.html",
        {
            "case": case,
            "today": today,
            "party_terms": [e for e in explained if e.term.responsible == Responsible.PARTY],
            "court_terms": [e for e in explained if e.term.responsible in COURT_DUTIES],
            "is_staff": is_staff,
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


@never_cache
@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    """Every warning about a term addressed to this account (judge, clerk or chairman), with a
    button that marks them seen."""
    user = _user(request)
    if user is None:  # pragma: no cover - login_required
        return redirect("login")
    if request.method == "POST":
        actions.mark_warnings_seen(user=user)
        return redirect("deadlines:warnings")
    return render(request, "deadlines/warnings.html", {"warnings": list(queries.warnings_for(user)[:200])})
