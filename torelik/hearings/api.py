"""JSON API of the hearings context: the public timetable (JSON or iCalendar), scheduling,
postponing and cancelling, a participant's calendar and their secret iCalendar feed."""

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from typing import IO, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import BaseModel

from torelik.archive.queries import open_stored_file
from torelik.cases.access import access_case_for, cases_visible_to, staff_court_ids
from torelik.core import clock
from torelik.core.api import ErrorOut, Session
from torelik.core.tokens import token_digest
from torelik.courts.models import Court, Courtroom
from torelik.hearings import actions, queries, recordings, videoconference
from torelik.hearings.errors import HearingError, HearingErrorCode, HearingNotFoundError
from torelik.hearings.ical import hearings_calendar
from torelik.hearings.models import (
    Hearing,
    HearingType,
    LogMarkKind,
    ParticipantRole,
    RecorderDevice,
    Recording,
    RecordingUpload,
    RemoteAttendance,
)
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import Person, User

router = Router(tags=["hearings"])

ICS = "text/calendar; charset=utf-8"
# Bounds what the version cannot see: a judge or a category renamed, or a change whose transaction
# commits after a later one was read (the version is the count and the latest save, not the commit).
TIMETABLE_CACHE_SECONDS = 60


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


class PublicHearingOut(BaseModel):
    id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    courtroom: str
    case_number: str
    category: str
    judge: str
    kind: HearingType
    kind_name: str
    status: str


class TimetableOut(BaseModel):
    court: str
    court_name: str
    date: dt.date
    time_zone: str
    hearings: list[PublicHearingOut]


def _public(hearing: Hearing) -> PublicHearingOut:
    zone = court_zone(hearing.courtroom.court)
    return PublicHearingOut(
        id=hearing.public_id,
        starts_at=hearing.starts_at.astimezone(zone),
        ends_at=hearing.ends_at.astimezone(zone),
        courtroom=hearing.courtroom.number,
        case_number=hearing.case.number,
        category=hearing.case.category.name,
        judge=hearing.judge.person.short_name,
        kind=HearingType(hearing.kind),
        kind_name=str(hearing.get_kind_display()),
        status=hearing.status,
    )


def _court(code: str) -> Court:
    court = Court.objects.select_related("region").filter(code=code).first()
    if court is None:
        raise HearingError(
            HearingErrorCode.UNKNOWN_COURT,
            gettext_lazy("There is no court with the code %(code)s."),
            params={"code": code},
            fields={"court": [str(gettext_lazy("There is no such court."))]},
        )
    return court


class TimetableIn(Schema):
    court: str = Field(min_length=1, max_length=20, description="the court's code")
    date: dt.date | None = Field(None, description="the day (YYYY-MM-DD); today if absent")
    format: Literal["json", "ics"] | None = Field(None, description="ics for iCalendar (or Accept: text/calendar)")


@router.get(
    "/hearings",
    response={200: TimetableOut, 404: ErrorOut, 422: ErrorOut},
    summary="The public timetable of a court for a day (JSON or iCalendar)",
    auth=None,
)
def timetable(request: HttpRequest, filters: Query[TimetableIn]) -> HttpResponse:
    court = _court(filters.court)
    day = filters.date or clock.today()
    wants_ics = filters.format == "ics" or (
        filters.format is None and "text/calendar" in request.headers.get("Accept", "")
    )
    # A public board is read far more often than it changes: the body is kept per court, day, language
    # and format, under the version of the day's hearings (a scheduling, postponement or cancellation
    # changes it, so it shows at the next request), and for at most TIMETABLE_CACHE_SECONDS.
    version = queries.timetable_version(court=court, day=day)
    key = f"torelik:timetable:{court.code}:{day.isoformat()}:{get_language()}:{int(wants_ics)}:{version}"
    body: bytes | None = cache.get(key)
    if body is None:
        hearings = list(queries.public_timetable(court=court, day=day))
        if wants_ics:
            body = hearings_calendar(hearings, name=f"{court.name} {day.isoformat()}")
        else:
            board = TimetableOut(
                court=court.code,
                court_name=court.name,
                date=day,
                time_zone=str(court_zone(court)),
                hearings=[_public(h) for h in hearings],
            )
            body = board.model_dump_json().encode()
        cache.set(key, body, TIMETABLE_CACHE_SECONDS)
    return HttpResponse(body, content_type=ICS if wants_ics else "application/json; charset=utf-8")


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


class HearingOut(PublicHearingOut):
    closed: bool
    reason: str
    participants: list[dict[str, str]]


def _full(hearing: Hearing) -> HearingOut:
    public = _public(hearing)
    return HearingOut(
        **public.model_dump(),
        closed=hearing.is_closed,
        reason=hearing.reason,
        participants=[
            {"role": p.role, "name": p.person.full_name} for p in hearing.participants.select_related("person").all()
        ],
    )


def _invalid(field: str, message: str) -> HearingError:
    return HearingError("invalid_input", gettext_lazy("Some of the data sent is not valid."), fields={field: [message]})


def _aware(moment: dt.datetime, court: Court) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=court_zone(court))


@router.post(
    "/hearings",
    response={201: HearingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Schedule a hearing",
    auth=Session(),
)
def schedule(request: HttpRequest, payload: ScheduleIn) -> Status[HearingOut]:
    user = _user(request)
    case = cases_visible_to(user).select_related("court__region", "judge__person").filter(number=payload.case).first()
    if case is None:
        raise HearingNotFoundError(
            "case_not_found", gettext_lazy("There is no case %(number)s."), params={"number": payload.case}
        )
    courtroom = Courtroom.objects.filter(court=case.court, number=payload.courtroom).first()
    if courtroom is None:
        raise _invalid("courtroom", str(gettext_lazy("There is no such courtroom in this court.")))
    secretary = None
    if payload.secretary:
        secretary = User.objects.filter(username=payload.secretary).first()
        if secretary is None:
            raise _invalid("secretary", str(gettext_lazy("There is no such account.")))
    participants = []
    for item in payload.participants:
        person = Person.objects.filter(iin=item.iin).first()
        if person is None:
            raise _invalid("participants", str(gettext_lazy("No person with this IIN is known.")))
        participants.append(actions.ParticipantInput(role=item.role, person=person))
    hearing = actions.schedule_hearing(
        case=case,
        courtroom=courtroom,
        starts_at=_aware(payload.starts_at, case.court),
        ends_at=_aware(payload.ends_at, case.court),
        actor=user,
        kind=payload.kind,
        secretary=secretary,
        is_closed=payload.closed,
        participants=participants,
    )
    return Status(201, _full(hearing))


def _staff_hearing(request: HttpRequest, hearing_id: uuid.UUID) -> Hearing:
    visible = cases_visible_to(_user(request))
    hearing = (
        Hearing.objects.select_related(
            "case__court__region", "case__category", "courtroom__court__region", "judge__person"
        )
        .filter(public_id=hearing_id, case__in=visible)
        .first()
    )
    if hearing is None:
        raise HearingNotFoundError(HearingErrorCode.NOT_FOUND, gettext_lazy("There is no such hearing."))
    return hearing


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
    hearing = _staff_hearing(request, hearing_id)
    court = hearing.case.court
    following = actions.postpone_hearing(
        hearing=hearing,
        reason=payload.reason,
        actor=_user(request),
        starts_at=_aware(payload.starts_at, court) if payload.starts_at else None,
        ends_at=_aware(payload.ends_at, court) if payload.ends_at else None,
    )
    hearing.refresh_from_db()
    return PostponedOut(postponed=_full(hearing), next=_full(following) if following is not None else None)


@router.post(
    "/hearings/{hearing_id}/cancel",
    response={200: HearingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cancel a hearing",
    auth=Session(),
)
def cancel(request: HttpRequest, hearing_id: uuid.UUID, payload: ReasonIn) -> HearingOut:
    hearing = _staff_hearing(request, hearing_id)
    actions.cancel_hearing(hearing=hearing, reason=payload.reason, actor=_user(request))
    hearing.refresh_from_db()
    return _full(hearing)


# --- A participant's calendar and feed ----------------------------------------------------------


class MineIn(Schema):
    start: dt.date | None = None
    end: dt.date | None = Field(None, description="exclusive; 31 days after start if absent")


@router.get(
    "/hearings/mine",
    response={200: list[PublicHearingOut], 401: ErrorOut, 422: ErrorOut},
    summary="My hearings across all courts (as judge, secretary or participant)",
    auth=Session(),
)
def mine(request: HttpRequest, filters: Query[MineIn]) -> list[PublicHearingOut]:
    first = filters.start or clock.today()
    last = filters.end or first + dt.timedelta(days=31)
    zone = timezone.get_default_timezone()
    hearings = queries.calendar_of(
        _user(request),
        start=dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        end=dt.datetime.combine(last, dt.time.min, tzinfo=zone),
    )
    return [_public(h) for h in hearings]


class FeedOut(BaseModel):
    url: str


@router.post(
    "/hearings/feed",
    response={201: FeedOut, 401: ErrorOut, 403: ErrorOut},
    summary="Issue (or replace) my secret iCalendar feed address",
    auth=Session(),
)
def issue_feed(request: HttpRequest) -> Status[FeedOut]:
    user = _user(request)
    assert user is not None  # noqa: S101 - Session() guarantees it
    token = actions.issue_calendar_feed(user=user)
    return Status(201, FeedOut(url=request.build_absolute_uri(reverse("api-v1:hearings_feed", args=[token]))))


@router.delete(
    "/hearings/feed",
    response={204: None, 401: ErrorOut, 403: ErrorOut},
    summary="Revoke my iCalendar feed address",
    auth=Session(),
)
def revoke_feed(request: HttpRequest) -> Status[None]:
    user = _user(request)
    assert user is not None  # noqa: S101 - Session() guarantees it
    actions.revoke_calendar_feed(user=user)
    return Status(204, None)


@router.get(
    "/hearings/feed/{token}.ics",
    response={200: None, 404: ErrorOut},
    summary="A participant's hearings as iCalendar (secret address, no login)",
    auth=None,
    url_name="hearings_feed",
)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = queries.feed_owner(token_digest(token))
    if owner is None:
        raise HearingNotFoundError(HearingErrorCode.FEED_NOT_FOUND, gettext_lazy("There is no such calendar feed."))
    since = clock.now() - dt.timedelta(days=90)
    hearings = queries.hearings_of(owner).filter(starts_at__gte=since)
    return HttpResponse(hearings_calendar(hearings, name=str(gettext_lazy("My hearings"))), content_type=ICS)


# --- Log marks and the hearing record -----------------------------------------------------------


class DeviceToken(HttpBearer):
    """A courtroom recorder: `Authorization: Bearer <device token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> RecorderDevice:
        return actions.recorder_for_token(token)


class LogMarkIn(Schema):
    at: dt.datetime
    kind: LogMarkKind
    text: str = Field("", max_length=1000)


class LogMarkOut(BaseModel):
    id: uuid.UUID
    at: dt.datetime
    kind: LogMarkKind
    text: str


def _hearing(hearing_id: uuid.UUID) -> Hearing:
    hearing = (
        Hearing.objects.select_related(
            "case__court__region", "case__category", "courtroom__court__region", "judge__person"
        )
        .filter(public_id=hearing_id)
        .first()
    )
    if hearing is None:
        raise HearingNotFoundError(HearingErrorCode.NOT_FOUND, gettext_lazy("There is no such hearing."))
    return hearing


@router.post(
    "/hearings/{hearing_id}/log",
    response={201: LogMarkOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Post a log mark of a session (recorder's device token or staff session)",
    auth=[DeviceToken(), Session()],
)
def post_log_mark(request: HttpRequest, hearing_id: uuid.UUID, payload: LogMarkIn) -> Status[LogMarkOut]:
    device = request.auth if isinstance(request.auth, RecorderDevice) else None  # type: ignore[attr-defined]
    hearing = _hearing(hearing_id) if device is not None else _staff_hearing(request, hearing_id)
    at = _aware(payload.at, hearing.case.court)
    mark = actions.add_log_mark(
        hearing=hearing, at=at, kind=payload.kind, text=payload.text, device=device, actor=_user(request)
    )
    return Status(201, LogMarkOut(id=mark.public_id, at=mark.at, kind=LogMarkKind(mark.kind), text=mark.text))


class RecordOut(BaseModel):
    document: uuid.UUID
    case: str


@router.post(
    "/hearings/{hearing_id}/record",
    response={201: RecordOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Generate the hearing record from the log marks and attach it to the case",
    auth=Session(),
)
def generate_record(request: HttpRequest, hearing_id: uuid.UUID) -> Status[RecordOut]:
    hearing = _staff_hearing(request, hearing_id)
    document = actions.generate_hearing_record(hearing=hearing, actor=_user(request))
    return Status(201, RecordOut(document=document.public_id, case=hearing.case.number))


# --- Recordings: resumable upload by the recorder, Range playback for those who may see the case ---

CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class UploadIn(Schema):
    filename: str = Field(min_length=1, max_length=200)
    size: int = Field(ge=1)


class UploadOut(BaseModel):
    id: uuid.UUID
    received: int
    size: int
    completed: bool


def _upload_out(upload: RecordingUpload) -> UploadOut:
    return UploadOut(id=upload.public_id, received=upload.received, size=upload.size, completed=upload.completed)


def _device(request: HttpRequest) -> RecorderDevice:
    device = getattr(request, "auth", None)
    assert isinstance(device, RecorderDevice)  # noqa: S101 - DeviceToken() guarantees it
    return device


def _upload(hearing_id: uuid.UUID, upload_id: uuid.UUID, device: RecorderDevice) -> RecordingUpload:
    upload = (
        RecordingUpload.objects.select_related("hearing__courtroom")
        .filter(public_id=upload_id, hearing__public_id=hearing_id, device=device)
        .first()
    )
    if upload is None:
        raise HearingNotFoundError("upload_not_found", gettext_lazy("There is no such upload."))
    return upload


@router.post(
    "/hearings/{hearing_id}/recordings",
    response={201: UploadOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start uploading a recording (recorder's device token)",
    auth=DeviceToken(),
)
def start_upload(request: HttpRequest, hearing_id: uuid.UUID, payload: UploadIn) -> Status[UploadOut]:
    upload = recordings.start_upload(
        hearing=_hearing(hearing_id), device=_device(request), filename=payload.filename, size=payload.size
    )
    return Status(201, _upload_out(upload))


@router.get(
    "/hearings/{hearing_id}/recordings/{upload_id}",
    response={200: UploadOut, 401: ErrorOut, 404: ErrorOut},
    summary="Where an upload stands (to resume it)",
    auth=DeviceToken(),
)
def upload_state(request: HttpRequest, hearing_id: uuid.UUID, upload_id: uuid.UUID) -> UploadOut:
    return _upload_out(_upload(hearing_id, upload_id, _device(request)))


@router.put(
    "/hearings/{hearing_id}/recordings/{upload_id}",
    response={200: UploadOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Send a piece of the recording (Content-Range: bytes start-end/size)",
    auth=DeviceToken(),
)
def put_piece(request: HttpRequest, hearing_id: uuid.UUID, upload_id: uuid.UUID) -> UploadOut:
    upload = _upload(hearing_id, upload_id, _device(request))
    match = CONTENT_RANGE.match(request.headers.get("Content-Range", ""))
    if match is None or int(match[3]) != upload.size or int(match[2]) < int(match[1]):
        raise _invalid("Content-Range", str(gettext_lazy("Send Content-Range: bytes start-end/size.")))
    start, end = int(match[1]), int(match[2])
    upload = recordings.write_piece(upload=upload, start=start, body=request, length=end - start + 1)
    return _upload_out(upload)


class FinishIn(Schema):
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")


class RecordingOut(BaseModel):
    id: uuid.UUID
    sha256: str
    size: int
    media_type: str
    duration_seconds: float | None


def _recording_out(recording: Recording) -> RecordingOut:
    return RecordingOut(
        id=recording.public_id,
        sha256=recording.file.sha256,
        size=recording.file.size,
        media_type=recording.media_type,
        duration_seconds=recording.duration.total_seconds() if recording.duration is not None else None,
    )


@router.post(
    "/hearings/{hearing_id}/recordings/{upload_id}/finish",
    response={201: RecordingOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Finish an upload: checked against its SHA-256, then kept in the file store",
    auth=DeviceToken(),
)
def finish_upload(
    request: HttpRequest, hearing_id: uuid.UUID, upload_id: uuid.UUID, payload: FinishIn
) -> Status[RecordingOut]:
    upload = _upload(hearing_id, upload_id, _device(request))
    return Status(201, _recording_out(recordings.finish_upload(upload=upload, sha256=payload.sha256)))


def _ranged(stream: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        stream.seek(start)
        left = length
        while left > 0 and (chunk := stream.read(min(recordings.CHUNK, left))):
            left -= len(chunk)
            yield chunk
    finally:
        stream.close()


@router.get(
    "/hearings/{hearing_id}/recordings/{recording_id}/media",
    response={200: None, 206: None, 401: ErrorOut, 404: ErrorOut, 416: ErrorOut},
    summary="Play a recording (HTTP Range for seeking), for those who may see the case",
    auth=Session(),
    url_name="hearings_play",
)
def play(request: HttpRequest, hearing_id: uuid.UUID, recording_id: uuid.UUID) -> HttpResponseBase:
    recording = (
        Recording.objects.select_related("file", "hearing__case")
        .filter(public_id=recording_id, hearing__public_id=hearing_id)
        .first()
    )
    if recording is None:
        raise HearingNotFoundError("recording_not_found", gettext_lazy("There is no such recording."))
    access_case_for(_user(request), recording.hearing.case.number)
    size = recording.file.size
    start, end, status = 0, size - 1, 200
    match = RANGE.match(request.headers.get("Range", ""))
    if match is not None and (match[1] or match[2]):
        if match[1]:
            start, end = int(match[1]), min(int(match[2]) if match[2] else size - 1, size - 1)
        else:
            start, end = max(0, size - int(match[2])), size - 1
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status = 206
    streamed = StreamingHttpResponse(
        _ranged(open_stored_file(recording.file), start, end - start + 1),
        status=status,
        content_type=recording.media_type,
    )
    streamed["Accept-Ranges"] = "bytes"
    streamed["Content-Length"] = str(end - start + 1)
    if status == 206:
        streamed["Content-Range"] = f"bytes {start}-{end}/{size}"
    return streamed


# --- Videoconference ----------------------------------------------------------------------------


class JoinLinkOut(BaseModel):
    participant: str
    role: ParticipantRole
    facility: str
    facility_endpoint: str
    facility_contact: str
    room: str
    url: str
    not_before: dt.datetime
    expires: dt.datetime


@router.get(
    "/hearings/{hearing_id}/join-links",
    response={200: list[JoinLinkOut], 401: ErrorOut, 404: ErrorOut},
    summary="Join links of the remote participants (all for the court's staff, one's own for a participant)",
    auth=Session(),
)
def join_links(request: HttpRequest, hearing_id: uuid.UUID) -> list[JoinLinkOut]:
    user = _user(request)
    hearing = _staff_hearing(request, hearing_id)
    attendances = RemoteAttendance.objects.filter(participant__hearing=hearing).select_related(
        "participant__person", "participant__hearing", "facility"
    )
    if hearing.case.court_id not in staff_court_ids(user):
        person_id = user.person_id if user is not None else None
        attendances = (
            attendances.filter(participant__person_id=person_id) if person_id is not None else attendances.none()
        )
    out = []
    for attendance in attendances:
        link = videoconference.join_link(attendance)
        out.append(
            JoinLinkOut(
                participant=attendance.participant.person.full_name,
                role=ParticipantRole(attendance.participant.role),
                facility=attendance.facility.name,
                facility_endpoint=attendance.facility.vc_endpoint,
                facility_contact=attendance.facility.contact,
                room=link.room,
                url=link.url,
                not_before=link.not_before,
                expires=link.expires,
            )
        )
    return out
