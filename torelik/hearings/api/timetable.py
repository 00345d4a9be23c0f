"""The timetable: the public board of a court's day (JSON or iCalendar), and the scheduling that
changes it (schedule, postpone, cancel). One router, as `GET` and `POST /hearings` are one address:
ninja gives each router's paths URL patterns of their own, and the first would answer the other's
method with 405."""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from torelik.core import clock
from torelik.core.api import Day, ErrorOut, Session
from torelik.core.http import etag_matches
from torelik.hearings import access, actions, queries
from torelik.hearings import board as boards
from torelik.hearings.api.schemas import (
    HearingOut,
    PublicHearingOut,
    full_out,
    in_court_zone,
    public_out,
    request_user,
)
from torelik.hearings.errors import invalid_input
from torelik.hearings.ical import hearings_calendar
from torelik.hearings.models import HearingType, ParticipantRole
from torelik.hearings.working_hours import court_zone

router = Router(tags=["hearings"])

ICS = "text/calendar; charset=utf-8"
TIMETABLE_MAX_AGE_SECONDS = boards.TIMETABLE_MAX_AGE_SECONDS


class TimetableOut(BaseModel):
    court: str
    court_name: str
    date: dt.date
    time_zone: str
    hearings: list[PublicHearingOut]


class TimetableIn(Schema):
    court: str = Field(min_length=1, max_length=20, description="the court's code")
    date: Day | None = Field(None, description="the day (YYYY-MM-DD); today if absent")
    format: Literal["json", "ics"] | None = Field(None, description="ics for iCalendar (or Accept: text/calendar)")


@router.get(
    "/hearings",
    response={200: TimetableOut, 404: ErrorOut, 422: ErrorOut},
    summary="The public timetable of a court for a day (JSON or iCalendar)",
    auth=None,
)
def timetable(request: HttpRequest, filters: Query[TimetableIn]) -> HttpResponse:
    court = queries.timetable_court(filters.court)
    day = filters.date or clock.today()
    wants_ics = filters.format == "ics" or (
        filters.format is None and "text/calendar" in request.headers.get("Accept", "")
    )

    # A public board is read far more often than it changes: kept per court, day, language and format
    # under the version of the day's hearings (hearings.board, ADR 0079).
    def build() -> bytes:
        hearings = list(queries.public_timetable(court=court, day=day))
        if wants_ics:
            return hearings_calendar(hearings, name=f"{court.name} {day.isoformat()}")
        board = TimetableOut(
            court=court.code,
            court_name=court.name,
            date=day,
            time_zone=str(court_zone(court)),
            hearings=[public_out(h) for h in hearings],
        )
        return board.model_dump_json().encode()

    key = f"{court.code}:{day.isoformat()}:{get_language()}:{int(wants_ics)}"
    found = boards.board(key, court=court, day=day, build=build)
    body, etag = found.body, found.etag
    # A proxy in front keeps the board for a short while and asks again with its ETag (ADR 0067).
    if etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=ICS if wants_ics else "application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={TIMETABLE_MAX_AGE_SECONDS}"
    patch_vary_headers(response, ("Accept",))
    return response


# --- Scheduling (staff) --------------------------------------------------------------------------


class ParticipantIn(Schema):
    role: ParticipantRole
    iin: str = Field(pattern=r"^\d{12}$")


class ScheduleIn(Schema):
    case: str = Field(min_length=1, max_length=40, description="the case number")
    courtroom: str = Field(min_length=1, max_length=10, description="the courtroom number in the case's court")
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: HearingType = HearingType.MAIN
    closed: bool = False
    secretary: str | None = Field(None, description="the secretary's user name")
    participants: list[ParticipantIn] = []


@router.post(
    "/hearings",
    response={201: HearingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Schedule a hearing",
    auth=Session(),
)
def schedule(request: HttpRequest, payload: ScheduleIn) -> Status[HearingOut]:
    user = request_user(request)
    case = access.case_to_schedule(user, payload.case)
    courtroom = queries.courtroom_of(case.court, payload.courtroom)
    if courtroom is None:
        raise invalid_input("courtroom", str(gettext_lazy("There is no such courtroom in this court.")))
    secretary = None
    if payload.secretary:
        secretary = queries.account_named(payload.secretary)
        if secretary is None:
            raise invalid_input("secretary", str(gettext_lazy("There is no such account.")))
    participants = []
    for item in payload.participants:
        person = queries.person_with_iin(item.iin)
        if person is None:
            raise invalid_input("participants", str(gettext_lazy("No person with this IIN is known.")))
        participants.append(actions.ParticipantInput(role=item.role, person=person))
    hearing = actions.schedule_hearing(
        case=case,
        courtroom=courtroom,
        starts_at=in_court_zone(payload.starts_at, case.court),
        ends_at=in_court_zone(payload.ends_at, case.court),
        actor=user,
        kind=payload.kind,
        secretary=secretary,
        is_closed=payload.closed,
        participants=participants,
    )
    return Status(201, full_out(hearing))


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None


class PostponedOut(BaseModel):
    postponed: HearingOut
    next: HearingOut | None


@router.post(
    "/hearings/{hearing_id}/postpone",
    response={200: PostponedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Postpone a hearing (optionally to a new time)",
    auth=Session(),
)
def postpone(request: HttpRequest, hearing_id: uuid.UUID, payload: ReasonIn) -> PostponedOut:
    hearing = access.hearing_for(request_user(request), hearing_id)
    court = hearing.case.court
    following = actions.postpone_hearing(
        hearing=hearing,
        reason=payload.reason,
        actor=request_user(request),
        starts_at=in_court_zone(payload.starts_at, court) if payload.starts_at else None,
        ends_at=in_court_zone(payload.ends_at, court) if payload.ends_at else None,
    )
    hearing.refresh_from_db()
    return PostponedOut(postponed=full_out(hearing), next=full_out(following) if following is not None else None)


@router.post(
    "/hearings/{hearing_id}/cancel",
    response={200: HearingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cancel a hearing",
    auth=Session(),
)
def cancel(request: HttpRequest, hearing_id: uuid.UUID, payload: ReasonIn) -> HearingOut:
    hearing = access.hearing_for(request_user(request), hearing_id)
    actions.cancel_hearing(hearing=hearing, reason=payload.reason, actor=request_user(request))
    hearing.refresh_from_db()
    return full_out(hearing)
