"""What the hearings API answers about a hearing, and who is asking (an account or a recorder)."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja.security import HttpBearer
from pydantic import BaseModel

from torelik.courts.models import Court
from torelik.hearings import access, queries
from torelik.hearings.models import Hearing, HearingType, RecorderDevice
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import User


def request_user(request: HttpRequest) -> User | None:
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else None


class DeviceToken(HttpBearer):
    """A courtroom recorder: `Authorization: Bearer <device token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> RecorderDevice:
        return access.recorder_for_token(token)


def request_device(request: HttpRequest) -> RecorderDevice:
    device = getattr(request, "auth", None)
    assert isinstance(device, RecorderDevice)  # noqa: S101 - DeviceToken() guarantees it
    return device


def in_court_zone(moment: dt.datetime, court: Court) -> dt.datetime:
    """A moment sent without a zone is read in the court's."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=court_zone(court))


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


def public_out(hearing: Hearing) -> PublicHearingOut:
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


class HearingOut(PublicHearingOut):
    closed: bool
    reason: str
    participants: list[dict[str, str]]


def full_out(hearing: Hearing) -> HearingOut:
    public = public_out(hearing)
    return HearingOut(
        **public.model_dump(),
        closed=hearing.is_closed,
        reason=hearing.reason,
        participants=[{"role": p.role, "name": p.person.full_name} for p in queries.participants_of(hearing)],
    )
