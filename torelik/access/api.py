"""What a turnstile or badge reader calls: `POST /api/v1/access/events` with its device token, an event
in or out by a staff badge or a visitor's pass code (typed or read from the pass's QR); the answer lets
the person through (200) or refuses with the reason in the API's error format (4xx). Every event is
kept, refused ones too (ADR 0105)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import HttpBearer
from pydantic import BaseModel

from torelik.access import access, actions
from torelik.access.models import Device, Visit, VisitKind
from torelik.core.api import ErrorOut
from torelik.hearings.working_hours import court_zone

router = Router(tags=["access"])


class DeviceToken(HttpBearer):
    """A turnstile or reader: `Authorization: Bearer <device token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> Device:
        return access.device_for_token(token)


class EventIn(Schema):
    direction: Literal["in", "out"]
    badge: str = Field("", max_length=20, description="a staff badge's number")
    pass_code: str = Field("", max_length=40, description="a visitor's pass code, or the text of its QR")


class EventOut(BaseModel):
    allowed: bool
    direction: str
    kind: str
    name: str
    courtroom: str
    hearing_starts_at: str
    at: str


def _out(visit: Visit, direction: str) -> EventOut:
    zone = court_zone(visit.court)
    moment = visit.entered_at if direction == "in" else visit.left_at
    hearing = visit.hearing
    return EventOut(
        allowed=True,
        direction=direction,
        kind=visit.kind,
        # A turnstile's display shows a visitor's initials and a staff member's name, nothing more.
        name=visit.full_name if visit.kind == VisitKind.STAFF else _initials(visit.full_name),
        courtroom=visit.courtroom,
        hearing_starts_at=hearing.starts_at.astimezone(zone).strftime("%H:%M") if hearing is not None else "",
        at=moment.astimezone(zone).isoformat() if moment is not None else "",
    )


def _initials(full_name: str) -> str:
    parts = full_name.split()
    return " ".join([parts[0], *(f"{part[0]}." for part in parts[1:])]) if parts else ""


def _pass_code(raw: str) -> str:
    # The pass's QR holds `TORELIK-PASS:<code>`; a keypad sends the code alone.
    return raw.split(":", 1)[1] if raw.upper().startswith("TORELIK-PASS:") else raw


@router.post(
    "/access/events",
    response={200: EventOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="A turnstile or reader event (in or out by badge or pass code): allowed, or refused with the reason",
    auth=DeviceToken(),
)
def device_event(request: HttpRequest, payload: EventIn) -> EventOut:
    device = request.auth  # type: ignore[attr-defined]
    assert isinstance(device, Device)  # noqa: S101 - DeviceToken() guarantees it
    visit = actions.record_passage(
        entrance=device.entrance,
        direction=payload.direction,
        device=device,
        badge=payload.badge,
        pass_code=_pass_code(payload.pass_code),
    )
    return _out(visit, payload.direction)


class DeviceOut(BaseModel):
    name: str
    court: str
    entrance: str


@router.get(
    "/access/device",
    response={200: DeviceOut, 401: ErrorOut},
    summary="The device the token belongs to (a turnstile checks its token at start-up)",
    auth=DeviceToken(),
)
def whoami(request: HttpRequest) -> DeviceOut:
    device = request.auth  # type: ignore[attr-defined]
    assert isinstance(device, Device)  # noqa: S101 - DeviceToken() guarantees it
    return DeviceOut(name=device.name, court=device.entrance.court.code, entrance=device.entrance.code)
