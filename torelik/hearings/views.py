"""Pages of the hearings context: a court's public timetable for a day, and a logged-in
participant's calendar (day, week, month) with their secret iCalendar feed address."""

import datetime as dt
import uuid
from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.cases.access import access_case_for, cases_visible_to, staff_court_ids
from torelik.cases.errors import CaseNotFoundError
from torelik.cases.models import Case
from torelik.core import clock
from torelik.core.clock import day_in_range
from torelik.core.errors import DomainError
from torelik.core.replicas import reads_from_replica
from torelik.courts.models import Court, Courtroom, StaffRole
from torelik.deadlines.working_calendar import working_calendar
from torelik.hearings import actions, queries, videoconference
from torelik.hearings.access import SCHEDULABLE_STATUSES, acts_for_the_judge_of, schedule_refusal
from torelik.hearings.forms import ScheduleForm
from torelik.hearings.models import (
    ACTIVE_STATUSES,
    CalendarFeed,
    Facility,
    Hearing,
    HearingParticipant,
    HearingStatus,
    RemoteAttendance,
)
from torelik.hearings.working_hours import court_zone
from torelik.identity.actions import known_or_new_person
from torelik.identity.models import Person, User


def _day(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return clock.today()
    return day if day_in_range(day) else clock.today()  # the calendar's ends overflow a day's arithmetic


@dataclass(frozen=True)
class Row:
    """A hearing with its times in its court's zone."""

    hearing: Hearing
    starts: dt.datetime
    ends: dt.datetime


def _row(hearing: Hearing) -> Row:
    zone = court_zone(hearing.courtroom.court)
    return Row(hearing, hearing.starts_at.astimezone(zone), hearing.ends_at.astimezone(zone))


def utc_offset(moment: dt.datetime) -> str:
    """`UTC+05:00`: a zone as a person reads it (its tz database name is a code in English)."""
    offset = moment.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


@reads_from_replica
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
            "zone": utc_offset(dt.datetime.combine(day, dt.time(12), tzinfo=zone)),
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


# --- Scheduling from the case page --------------------------------------------------------------


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    return user


@never_cache
@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """The cases this person may schedule a hearing in: their own as judge, or their judge's."""
    user = _staff_user(request)
    candidates = (
        cases_visible_to(user)
        .filter(status__in=SCHEDULABLE_STATUSES, judge__isnull=False, court_id__in=staff_court_ids(user))
        .select_related("court", "category", "judge__person")
        .order_by("-registered_at")[:200]
    )
    cases = [case for case in candidates if acts_for_the_judge_of(user, case)]
    return render(request, "hearings/schedule_pick.html", {"cases": cases})


def _participants(form: ScheduleForm) -> list[actions.ParticipantInput]:
    chosen = [
        actions.ParticipantInput(role=item.role, person=item.person, facility=facility)
        for item, facility in form.called_people()
    ]
    for index, (role, iin, surname, given_name, facility) in enumerate(form.extra_people()):
        known = Person.objects.filter(iin=iin).first()
        if known is None and not (surname and given_name):
            form.add_error(
                f"extra_{index}_surname", _("This IIN is new to the court: give the surname and given name.")
            )
            continue
        person = known or known_or_new_person(iin=iin, surname=surname, given_name=given_name)
        chosen.append(actions.ParticipantInput(role=role, person=person, facility=facility))
    return chosen


def _free_days(case: Case, courtroom: Courtroom | None, minutes: int) -> list[tuple[dt.date, list[dt.time]]]:
    """The judge's free starts over the next working days (what the form offers to click)."""
    assert case.judge is not None  # noqa: S101 - a schedulable case has a judge
    out: list[tuple[dt.date, list[dt.time]]] = []
    calendar = working_calendar()
    now = clock.now()
    day = now.astimezone(court_zone(case.court)).date()
    for _step in range(14):
        if day.weekday() < 5 and calendar.is_working(day):
            slots = queries.free_slots(judge=case.judge, courtroom=courtroom, day=day, minutes=minutes, after=now)
            if slots:
                out.append((day, slots))
        if len(out) >= 5:
            break
        day += dt.timedelta(days=1)
    return out


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def schedule_case(request: HttpRequest, number: str) -> HttpResponse:
    """The case's judge (or the secretary or assistant working for that judge) schedules a hearing; the
    parties and their representatives are called by default, so subpoenas, SMS and calendars follow."""
    user = _staff_user(request)
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    refusal = schedule_refusal(user, case)
    if refusal is not None:
        return render(request, "hearings/refused.html", {"case": case, "message": refusal.message}, status=403)
    courtrooms = list(Courtroom.objects.filter(court=case.court).order_by("number"))
    facilities = list(Facility.objects.order_by("name"))
    people = queries.case_people(case)
    initial = {"day": request.GET.get("day", ""), "start": request.GET.get("start", "")}
    if request.GET.get("courtroom"):
        initial["courtroom"] = request.GET["courtroom"]
    form = ScheduleForm(
        request.POST or None, initial=initial, courtrooms=courtrooms, people=people, facilities=facilities
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        participants = _participants(form)
        if not form.errors:
            starts = dt.datetime.combine(data["day"], data["start"], tzinfo=court_zone(case.court))
            try:
                hearing = actions.schedule_hearing(
                    case=case,
                    courtroom=form.chosen_courtroom(),
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(minutes=data["minutes"]),
                    actor=user,
                    kind=data["kind"],
                    secretary=user if StaffRole.SECRETARY in _roles(user, case) else None,
                    is_closed=data["closed"],
                    participants=participants,
                )
            except DomainError as error:
                for field, errors in (error.fields or {"__all__": [error.message]}).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The hearing of case %(number)s is scheduled; %(count)s participants are called.")
                    % {"number": case.number, "count": len(participants)},
                )
                return redirect("hearings:hearing", hearing.public_id)
    chosen_room = courtrooms[0] if courtrooms else None
    return render(
        request,
        "hearings/schedule.html",
        {
            "case": case,
            "form": form,
            "free_days": _free_days(case, chosen_room, 60) if case.judge is not None else [],
            "chosen_room": chosen_room,
            "has_people": bool(people),
        },
        status=422 if form.errors else 200,
    )


def _roles(user: User, case: Case) -> set[str]:
    today = clock.today()
    return set(
        user.positions.filter(court_id=case.court_id)
        .exclude(starts_on__gt=today)
        .exclude(ends_on__lt=today)
        .values_list("role", flat=True)
    )


# --- A hearing's page, a case's hearings, a facility's hearings ---------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    participant: HearingParticipant
    remote: RemoteAttendance | None
    join_url: str


@never_cache
def hearing_page(request: HttpRequest, hearing_id: uuid.UUID) -> HttpResponse:
    """A hearing for those who may see its case: details, participants (their subpoenas load from the
    summons context), videoconference links for the court's staff and for the remote participant
    themselves, the log marks with their offsets, and the recordings played in the browser (the media
    address answers Range requests, so seeking works)."""
    hearing = (
        Hearing.objects.select_related("case__category", "courtroom__court__region", "judge__person", "secretary")
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
    is_staff = hearing.case.court_id in staff_court_ids(user)
    rows = []
    for participant in hearing.participants.select_related("person", "remote__facility").order_by("id"):
        remote = getattr(participant, "remote", None)
        own = user is not None and user.person_id == participant.person_id
        url = videoconference.join_link(remote).url if remote is not None and (is_staff or own) else ""
        rows.append(ParticipantRow(participant=participant, remote=remote, join_url=url))
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
        {
            "hearing": hearing,
            "row": row,
            "marks": marks,
            "recordings": recordings,
            "participants": rows,
            "is_staff": is_staff,
            "may_schedule": user is not None and acts_for_the_judge_of(user, hearing.case),
        },
    )


@never_cache
def case_hearings(request: HttpRequest, number: str) -> HttpResponse:
    """The hearings section of a case page (loaded into it; also a page of its own)."""
    user = request.user if isinstance(request.user, User) else None
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    hearings = [
        _row(h) for h in Hearing.objects.filter(case=case).select_related("courtroom__court__region", "judge__person")
    ]
    return render(
        request,
        "hearings/_case_hearings.html"
        if request.headers.get("HX-Request") == "true"
        else "hearings/case_hearings.html",
        {
            "case": case,
            "hearings": hearings,
            "may_schedule": user is not None and acts_for_the_judge_of(user, case),
            "schedulable": case.status in SCHEDULABLE_STATUSES,
        },
    )


@never_cache
@login_required
def facility_hearings(request: HttpRequest) -> HttpResponse:
    """The hearings in which someone takes part from a facility this account is the contact of."""
    user = _staff_user(request)
    facilities = list(Facility.objects.filter(contact_account=user).order_by("name"))
    since = clock.now() - dt.timedelta(hours=3)
    attendances = (
        RemoteAttendance.objects.filter(facility__in=facilities, participant__hearing__ends_at__gte=since)
        .filter(participant__hearing__status__in=ACTIVE_STATUSES)
        .select_related(
            "facility",
            "participant__person",
            "participant__hearing__courtroom__court__region",
            "participant__hearing__case",
        )
        .order_by("participant__hearing__starts_at")
    )
    rows = [
        {"attendance": a, "row": _row(a.participant.hearing), "url": videoconference.join_link(a).url}
        for a in attendances
    ]
    return render(
        request, "hearings/facility.html", {"facilities": facilities, "rows": rows, "statuses": HearingStatus}
    )
