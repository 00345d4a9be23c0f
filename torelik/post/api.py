"""JSON API of the post: the operator's signed webhook of tracking events, and public tracking of a
court letter by its barcode (status and dates only)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel

from torelik.core.api import ErrorOut
from torelik.post import access, actions, queries

router = Router(tags=["post"])


class IngestedOut(BaseModel):
    recorded: int
    repeated: int
    unknown: int
    final: int


@router.post(
    "/post/webhook",
    response={200: IngestedOut, 401: ErrorOut, 422: ErrorOut},
    summary="Tracking events pushed by the postal operator (header X-Post-Signature: t=<unix time>,v1=<HMAC-SHA256>)",
)
def webhook(request: HttpRequest) -> IngestedOut:
    result = actions.receive_webhook(body=request.body, signature=request.headers.get("X-Post-Signature", ""))
    return IngestedOut(recorded=result.recorded, repeated=result.repeated, unknown=result.unknown, final=result.final)


class StepOut(BaseModel):
    status: str
    status_name: str
    at: dt.datetime


class TrackingOut(BaseModel):
    barcode: str
    status: str
    status_name: str
    final_at: dt.datetime | None
    history: list[StepOut]


@router.get(
    "/post/track/{barcode}",
    response={200: TrackingOut, 404: ErrorOut, 422: ErrorOut},
    summary="Where a court letter is: its status and the dates of its steps (no content, no addressee)",
)
def track(request: HttpRequest, barcode: str) -> TrackingOut:
    letter = access.letter_to_track(barcode)
    return TrackingOut(
        barcode=letter.barcode or "",
        status=letter.status,
        status_name=letter.get_status_display(),
        final_at=letter.final_at,
        history=[
            StepOut(status=e.status, status_name=e.get_status_display(), at=e.at) for e in queries.history(letter)
        ],
    )
