"""Videoconference join links of a hearing's remote participants."""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel

from torelik.core.api import ErrorOut, Session
from torelik.hearings import access, videoconference
from torelik.hearings.api.schemas import request_user
from torelik.hearings.models import ParticipantRole

router = Router(tags=["hearings"])


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
    user = request_user(request)
    hearing = access.hearing_for(user, hearing_id)
    out = []
    for attendance in access.attendances_visible_to(user, hearing):
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
