"""A session's log marks, posted by the courtroom's recorder (or the court's staff), and the hearing
record drawn from them and attached to the case."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel

from torelik.core.api import ErrorOut, Session
from torelik.hearings import access, actions
from torelik.hearings.api.schemas import DeviceToken, in_court_zone, request_user
from torelik.hearings.models import LogMarkKind, RecorderDevice

router = Router(tags=["hearings"])


class LogMarkIn(Schema):
    at: dt.datetime
    kind: LogMarkKind
    text: str = Field("", max_length=1000)


class LogMarkOut(BaseModel):
    id: uuid.UUID
    at: dt.datetime
    kind: LogMarkKind
    text: str


@router.post(
    "/hearings/{hearing_id}/log",
    response={201: LogMarkOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Post a log mark of a session (recorder's device token or staff session)",
    auth=[DeviceToken(), Session()],
)
def post_log_mark(request: HttpRequest, hearing_id: uuid.UUID, payload: LogMarkIn) -> Status[LogMarkOut]:
    device = request.auth if isinstance(request.auth, RecorderDevice) else None  # type: ignore[attr-defined]
    user = request_user(request)
    hearing = access.hearing_for_recorder(hearing_id) if device is not None else access.hearing_for(user, hearing_id)
    at = in_court_zone(payload.at, hearing.case.court)
    mark = actions.add_log_mark(hearing=hearing, at=at, kind=payload.kind, text=payload.text, device=device, actor=user)
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
    hearing = access.hearing_for(request_user(request), hearing_id)
    document = actions.generate_hearing_record(hearing=hearing, actor=request_user(request))
    return Status(201, RecordOut(document=document.public_id, case=hearing.case.number))
