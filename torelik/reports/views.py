"""The statistics' pages: the public dashboard of the country, a region or a court (`/statistics/`),
and the staff's dashboards with drill-down from the country to a region, a court and a judge
(`/statistics/staff/…`); each table also as CSV and XLSX (`?format=csv&table=…`, `?format=xlsx`); the
periodic report to the legal statistics committee (`/statistics/staff/committee/`)."""

import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from torelik.core import numbers
from torelik.core.charts import bar_chart
from torelik.core.errors import DomainError
from torelik.courts.models import Court, Region
from torelik.deadlines.access import scope_of
from torelik.identity.models import User
from torelik.reports import access, committee, dashboard, exports, periods, queries
from torelik.reports.charts import month_chart
from torelik.reports.dashboard import Dashboard, Level, Place
from torelik.reports.errors import ReportsError, ReportsErrorCode


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "reports/refused.html", {"message": error.message}, status=error.http_status)


def _export(request: HttpRequest, board: Dashboard) -> HttpResponse | None:
    wanted = request.GET.get("format", "")
    if not wanted:
        return None
    stem = f"statistics-{board.place.level}{'-' + board.place.code if board.place.code else ''}-{board.period.text}"
    if wanted == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(board), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    tables = exports.tables(board)
    name = request.GET.get("table", "figures")
    if wanted != "csv" or name not in tables:
        raise ReportsError(ReportsErrorCode.BAD_TABLE, _("There is no such table or format to export."))
    response = HttpResponse(exports.csv_bytes(tables[name]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}.csv"'
    return response


def _page(request: HttpRequest, place: Place, *, public: bool, child_url: str) -> HttpResponse:
    period = periods.parse(request.GET.get("period"))
    board = dashboard.build(place, period, public=public)
    exported = _export(request, board)
    if exported is not None:
        return exported
    chart = month_chart(board.months, shown=numbers.number, label=lambda m: dashboard.month_label(m.month))
    age_chart = bar_chart([(r.label, float(r.values[0]), None) for r in board.by_age])
    groups: list[tuple[str, list[dashboard.FigureRow]]] = []
    for figure in board.figures:
        if not groups or groups[-1][0] != figure.group_label:
            groups.append((figure.group_label, []))
        groups[-1][1].append(figure)
    query = {"period": period.text}
    if public and place.court is not None:
        query["court"] = place.court.code
    elif public and place.region is not None:
        query["region"] = place.region.code
    joiner = "&" if "?" in child_url else "?"
    children = [
        (row, f"{child_url.replace('CODE', row.code)}{joiner}{urlencode({'period': period.text})}")
        for row in board.children
    ]
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "groups": groups,
            "chart": chart,
            "age_chart": age_chart,
            "children": children,
            "public": public,
            "query": urlencode(query),
            "tables": exports.tables(board).keys(),
            "levels": Level,
            "crumbs": _crumbs(place, public=public, user=_user(request)),
        },
    )


def _crumbs(place: Place, *, public: bool, user: User | None) -> list[tuple[str, str]]:
    """The places above this one, each with its link (the user may see them all on the public site; staff
    only the levels their account controls)."""
    out: list[tuple[str, str]] = []
    if public:
        base = reverse("reports:public")
        out.append((str(_("Republic of Kazakhstan")), base))
        if place.region is not None and place.level != Level.REGION:
            out.append((place.region.name, f"{base}?region={place.region.code}"))
        return out
    scope = scope_of(user)
    if scope.national:
        out.append((str(_("Republic of Kazakhstan")), reverse("reports:staff")))
    region = place.region
    if (
        region is not None
        and place.level in (Level.COURT, Level.JUDGE)
        and (scope.national or region.pk in scope.region_ids)
    ):
        out.append((region.name, reverse("reports:region", args=[region.code])))
    if place.court is not None and place.level == Level.JUDGE:
        out.append((place.court.name, reverse("reports:court", args=[place.court.code])))
    return out


@never_cache
def public(request: HttpRequest) -> HttpResponse:
    """The open figures of the country, or of a region or court (`?region=`, `?court=`)."""
    try:
        if request.GET.get("court"):
            place = dashboard.court(access.public_court(request.GET["court"]))
        elif request.GET.get("region"):
            place = dashboard.region(access.public_region(request.GET["region"]))
        else:
            place = dashboard.country()
        child = "?court=CODE" if place.level == Level.REGION else "?region=CODE"
        return _page(request, place, public=True, child_url=reverse("reports:public") + child)
    except DomainError as error:
        return _refused(request, error)


@never_cache
@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """The country for the Supreme Court's staff; others go to the place they control."""
    user = _user(request)
    scope = scope_of(user)
    if not scope.national:
        if scope.region_ids:
            region = Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("code").first()
            if region is not None:
                return redirect("reports:region", region.code)
        court = scope.judge.court if scope.judge is not None else None
        if court is None and scope.court_ids:
            court = Court.objects.filter(pk__in=sorted(scope.court_ids)).order_by("code").first()
        if court is None:
            return _refused(request, access.forbidden())
        return redirect("reports:court", court.code)
    try:
        return _page(request, dashboard.country(), public=False, child_url=reverse("reports:region", args=["CODE"]))
    except DomainError as error:
        return _refused(request, error)


@never_cache
@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    try:
        seat = access.staff_region(_user(request), code)
        return _page(request, dashboard.region(seat), public=False, child_url=reverse("reports:court", args=["CODE"]))
    except DomainError as error:
        return _refused(request, error)


@never_cache
@login_required
def court(request: HttpRequest, code: str) -> HttpResponse:
    try:
        seat = access.staff_court(_user(request), code)
        return _page(
            request,
            dashboard.court(seat),
            public=False,
            child_url=reverse("reports:judge", args=[seat.code, 0]).replace("/0/", "/CODE/"),
        )
    except DomainError as error:
        return _refused(request, error)


@never_cache
@login_required
def judge(request: HttpRequest, code: str, judge_id: int) -> HttpResponse:
    try:
        user = _user(request)
        seat = access.staff_court(user, code)
        person = access.staff_judge(user, seat, judge_id)
        return _page(request, dashboard.judge(person), public=False, child_url="")
    except DomainError as error:
        return _refused(request, error)


def _committee_place(request: HttpRequest, user: User | None) -> Place:
    """The place of the report asked for (`?court=`, `?region=`, else the country), within the staff's scope;
    staff who do not see the country get their first court's."""
    if request.GET.get("court"):
        return dashboard.court(access.staff_court(user, request.GET["court"]))
    if request.GET.get("region"):
        return dashboard.region(access.staff_region(user, request.GET["region"]))
    if access.may_see_country(user):
        return dashboard.country()
    scope = access.staff_scope(user)
    court = scope.judge.court if scope.judge is not None else None
    if court is None and scope.court_ids:
        court = Court.objects.filter(pk__in=sorted(scope.court_ids)).order_by("code").first()
    if court is None:
        region_row = Region.objects.filter(pk__in=sorted(scope.region_ids)).order_by("code").first()
        if region_row is None:
            raise access.forbidden()
        return dashboard.region(region_row)
    return dashboard.court(court)


def _committee_export(request: HttpRequest, report: committee.CommitteeReport, place: Place) -> HttpResponse | None:
    wanted = request.GET.get("format", "")
    if not wanted:
        return None
    stem = f"committee-{report.scope.level}{'-' + report.scope.code if report.scope.code else ''}-{report.period.text}"
    if wanted == "csv":
        response = HttpResponse(
            exports.csv_bytes(exports.committee_table(report)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    elif wanted == "xlsx":
        response = HttpResponse(
            exports.committee_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    elif wanted in ("json", "p7s"):
        # The report as the workers signed and stored it once the period ended; else signed now.
        made = queries.committee_return(report.period.text, place.level, place.code)
        if made is not None:
            content, signature = bytes(made.content), bytes(made.signature)
        else:
            signed = committee.payload(report.period.text, place)
            content, signature = signed.content, signed.signature
        if wanted == "json":
            response = HttpResponse(content, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        else:
            response = HttpResponse(signature, content_type="application/pkcs7-signature")
            response["Content-Disposition"] = f'attachment; filename="{stem}.json.p7s"'
        response["X-Content-SHA256"] = hashlib.sha256(content).hexdigest()
    else:
        raise ReportsError(ReportsErrorCode.BAD_TABLE, _("There is no such table or format to export."))
    return response


@never_cache
@login_required
def committee_form(request: HttpRequest) -> HttpResponse:
    """The periodic report to the legal statistics committee of a court, a region or the country, as the
    analyst checks it before it is filed; CSV, XLSX, and the signed JSON with its CMS signature."""
    from torelik.core import clock  # noqa: PLC0415
    from torelik.reports.actions import ended_periods  # noqa: PLC0415

    try:
        place = _committee_place(request, _user(request))
        period = committee.period_of(request.GET.get("period") or ended_periods(clock.today())[0])
        report = committee.report(period, place)
        exported = _committee_export(request, report, place)
        if exported is not None:
            return exported
    except DomainError as error:
        return _refused(request, error)
    query = {"period": period.text}
    if place.level == Level.COURT:
        query["court"] = place.code
    elif place.level == Level.REGION:
        query["region"] = place.code
    return render(
        request,
        "reports/committee.html",
        {
            "report": report,
            "place": place,
            "query": urlencode(query),
            "rows": [
                (r, [numbers.number(v, 1 if r.unit == "days" else 0) if v is not None else "—" for v in r.values])
                for r in report.rows
            ],
        },
    )
