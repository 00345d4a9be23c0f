"""Recordings: a resumable upload by the courtroom's recorder, and playback with HTTP Range for those
who may see the case."""

import re
import uuid
from collections.abc import Iterator
from typing import IO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel

from torelik.archive.queries import open_stored_file
from torelik.core.api import ErrorOut, Session
from torelik.hearings import access, recordings
from torelik.hearings.api.schemas import DeviceToken, request_device, request_user
from torelik.hearings.errors import invalid_input
from torelik.hearings.models import Recording, RecordingUpload

router = Router(tags=["hearings"])

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


@router.post(
    "/hearings/{hearing_id}/recordings",
    response={201: UploadOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start uploading a recording (recorder's device token)",
    auth=DeviceToken(),
)
def start_upload(request: HttpRequest, hearing_id: uuid.UUID, payload: UploadIn) -> Status[UploadOut]:
    upload = recordings.start_upload(
        hearing=access.hearing_for_recorder(hearing_id),
        device=request_device(request),
        filename=payload.filename,
        size=payload.size,
    )
    return Status(201, _upload_out(upload))


@router.get(
    "/hearings/{hearing_id}/recordings/{upload_id}",
    response={200: UploadOut, 401: ErrorOut, 404: ErrorOut},
    summary="Where an upload stands (to resume it)",
    auth=DeviceToken(),
)
def upload_state(request: HttpRequest, hearing_id: uuid.UUID, upload_id: uuid.UUID) -> UploadOut:
    return _upload_out(access.upload_of(request_device(request), hearing_id, upload_id))


@router.put(
    "/hearings/{hearing_id}/recordings/{upload_id}",
    response={200: UploadOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Send a piece of the recording (Content-Range: bytes start-end/size)",
    auth=DeviceToken(),
)
def put_piece(request: HttpRequest, hearing_id: uuid.UUID, upload_id: uuid.UUID) -> UploadOut:
    upload = access.upload_of(request_device(request), hearing_id, upload_id)
    match = CONTENT_RANGE.match(request.headers.get("Content-Range", ""))
    if match is None or int(match[3]) != upload.size or int(match[2]) < int(match[1]):
        raise invalid_input("Content-Range", str(gettext_lazy("Send Content-Range: bytes start-end/size.")))
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
    upload = access.upload_of(request_device(request), hearing_id, upload_id)
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
    recording = access.recording_for(request_user(request), hearing_id, recording_id)
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
