"""Videoconference join links: a room per hearing and, per remote participant, a signed JWT
(HS256; room, participant, validity window) as a Jitsi-compatible server with token
authentication expects it."""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.hearings.errors import HearingError
from torelik.hearings.models import Facility, Hearing, HearingParticipant, RemoteAttendance

# The link opens the room a little before the session and stays valid while it may overrun.
OPENS_BEFORE = dt.timedelta(minutes=30)
VALID_AFTER = dt.timedelta(hours=3)
ALGORITHM = "HS256"


def _secret() -> str:
    configured: str = settings.TORELIK_VC_SECRET
    if configured:
        return configured
    return hmac.new(settings.SECRET_KEY.encode(), b"torelik-videoconference", hashlib.sha256).hexdigest()


def room_of(hearing: Hearing) -> str:
    return f"torelik-{hearing.public_id.hex}"


@dataclass(frozen=True)
class JoinLink:
    url: str
    token: str
    room: str
    not_before: dt.datetime
    expires: dt.datetime


@transaction.atomic
def attend_remotely(*, participant: HearingParticipant, facility: Facility) -> RemoteAttendance:
    if not participant.hearing.courtroom.has_videoconference:
        raise HearingError(
            "courtroom_without_videoconference",
            _("Courtroom %(courtroom)s has no videoconference equipment."),
            params={"courtroom": participant.hearing.courtroom.number},
        )
    attendance, _created = RemoteAttendance.objects.update_or_create(
        participant=participant, defaults={"facility": facility}
    )
    return attendance


def join_link(attendance: RemoteAttendance) -> JoinLink:
    participant = attendance.participant
    hearing = participant.hearing
    room = room_of(hearing)
    not_before = hearing.starts_at - OPENS_BEFORE
    expires = hearing.ends_at + VALID_AFTER
    claims: dict[str, Any] = {
        "iss": settings.TORELIK_VC_APP_ID,
        "aud": "jitsi",
        "sub": "*",
        "room": room,
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        "context": {
            "user": {"id": str(participant.public_id), "name": participant.person.full_name},
            "facility": {"id": str(attendance.facility.public_id), "name": attendance.facility.name},
        },
    }
    token = jwt.encode(claims, _secret(), algorithm=ALGORITHM)
    url = f"{settings.TORELIK_VC_URL.rstrip('/')}/{room}?jwt={token}"
    return JoinLink(url=url, token=token, room=room, not_before=not_before, expires=expires)


def verify_join_token(token: str, *, at: dt.datetime) -> dict[str, Any]:
    """The claims of a join token valid at `at` (jwt.InvalidTokenError otherwise)."""
    claims: dict[str, Any] = jwt.decode(
        token,
        _secret(),
        algorithms=[ALGORITHM],
        audience="jitsi",
        issuer=settings.TORELIK_VC_APP_ID,
        options={"verify_exp": False, "verify_nbf": False},
    )
    moment = int(at.timestamp())
    if moment < claims["nbf"]:
        raise jwt.ImmatureSignatureError("The token is not yet valid (nbf)")
    if moment >= claims["exp"]:
        raise jwt.ExpiredSignatureError("Signature has expired")
    return claims
