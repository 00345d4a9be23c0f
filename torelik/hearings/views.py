"""Pages of the hearings context: a court's public timetable for a day, and a logged-in
participant's calendar (day, week, month) with their secret iCalendar feed address."""

import datetime as dt
import uuid
from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.cases.access import access_case_for, cases_visible_to
from torelik.cases.errors import CaseNotFoundError
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.models import Court, Courtroom, StaffRole
from torelik.courts.queries import holds_role_in
from torelik.hearings import actions, queries
from torelik.hearings.forms import ScheduleForm
from torelik.hearings.models import CalendarFeed, Hearing
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import User


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return clock.today()


@dataclass(frozen=True)
class Row:
    """A hearing with its times in its court's zone."""

    hearing: Hearing
    starts: dt.datetime
    ends: dt.datetime


def _row(hearing: Hearing) -> Row:
    zone = court_zone(hearing.courtroom.court)
    return Row(hearing, hearing.starts_at.astimezone(zone), hearing.ends_at.astimezone(zone))


def timetable(request: HttpRequest, code: str) -> HttpResponse:
    court = Court.objects.select_related("region").filter(code=code).first()
    if court is None:
        raise Http404
    day = _day(request)
    zone = court_zone(court)
    hearings = [_row(h) for h in queries.public_timetable(court=court, day=day)]
    return render(
        request,
        "hearings/timetable.html",
        {
            "court": court,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "following": day + dt.timedelta(days=1),
            "hearings": hearings,
            "zone": str(zone),
        },
    )


VIEWS = ("day", "week", "month")
SECRETARY_ROLES = frozenset({StaffRole.SECRETARY})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("feed") == "revoke":
            actions.revoke_calendar_feed(user=user)
        else:
            token = actions.issue_calendar_feed(user=user)
            feed_url = request.build_absolute_uri(reverse("api-v1:hearings_feed", args=[token]))
    view = request.GET.get("view", "week")
    view = view if view in VIEWS else "week"
    day = _day(request)
    span = queries.period(view, day)
    zone = timezone.get_default_timezone()
    hearings = queries.calendar_of(
        user,
        start=dt.datetime.combine(span.start, dt.time.min, tzinfo=zone),
        end=dt.datetime.combine(span.end, dt.time.min, tzinfo=zone),
    )
    rows = [_row(h) for h in hearings]
    days = [(d, list(items)) for d, items in groupby(rows, key=lambda row: row.starts.date())]
    return render(
        request,
        "hearings/calendar.html",
        {
            "view": view,
            "views": VIEWS,
            "day": day,
            "span": span,
            "last_day": span.end - dt.timedelta(days=1),
            "days": days,
            "feed_url": feed_url,
            "has_feed": CalendarFeed.objects.filter(user=user).exists(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """A secretary or clerk schedules a hearing (the same action as the API)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = (
            cases_visible_to(user).select_related("court__region", "judge__person").filter(number=data["case"]).first()
        )
        courtroom = Courtroom.objects.filter(court=case.court, number=data["courtroom"]).first() if case else None
        if case is None:
            form.add_error("case", _("There is no case %(number)s.") % {"number": data["case"]})
        elif courtroom is None:
            form.add_error("courtroom", _("There is no such courtroom in this court."))
        else:
            starts = dt.datetime.combine(data["day"], data["start"], tzinfo=court_zone(case.court))
            try:
                hearing = actions.schedule_hearing(
                    case=case,
                    courtroom=courtroom,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=data["minutes"]),
                    actor=user,
                    kind=data["kind"],
                    secretary=user if holds_role_in(user, case.court, SECRETARY_ROLES) else None,
                    is_closed=data["closed"],
                )
            except DomainError as error:
                for field, messages in (error.fields or {"__all__": [error.message]}).items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                target = reverse("hearings:timetable", args=[case.court.code])
                return redirect(f"{target}?date={hearing.starts_at.astimezone(court_zone(case.court)).date()}")
    return render(request, "hearings/schedule.html", {"form": form}, status=422 if form.errors else 200)


@never_cache
def hearing_page(request: HttpRequest, hearing_id: uuid.UUID) -> HttpResponse:
    """A hearing for those who may see its case: details, the log marks with their offsets, and the
    recordings played in the browser (the media address answers Range requests, so seeking works)."""
    hearing = (
        Hearing.objects.select_related("case", "courtroom__court__region", "judge__person")
        .filter(public_id=hearing_id)
        .first()
    )
    user = request.user if isinstance(request.user, User) else None
    if hearing is None:
        raise Http404
    try:
        access_case_for(user, hearing.case.number)
    except CaseNotFoundError as error:
        raise Http404 from error
    row = _row(hearing)
    started = hearing.starts_at
    marks = [
        {"mark": mark, "offset": max(int((mark.at - started).total_seconds()), 0)}
        for mark in hearing.marks.order_by("at", "pk")
    ]
    recordings = list(hearing.recordings.select_related("file").order_by("created_at"))
    return render(
        request,
        "hearings/hearing.html",
        {"hearing": hearing, "row": row, "marks": marks, "recordings": recordings},
    )
