"""A participant's calendar across all courts, and their secret, revocable iCalendar feed."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from torelik.core import clock
from torelik.core.api import Day, ErrorOut, Session
from torelik.core.tokens import token_digest
from torelik.hearings import actions, queries
from torelik.hearings.api.schemas import PublicHearingOut, public_out, request_user
from torelik.hearings.api.timetable import ICS
from torelik.hearings.errors import HearingErrorCode, HearingNotFoundError
from torelik.hearings.ical import hearings_calendar

router = Router(tags=["hearings"])


class MineIn(Schema):
    start: Day | None = None
    end: Day | None = Field(None, description="exclusive; 31 days after start if absent")


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
        request_user(request),
        start=dt.datetime.combine(first, dt.time.min, tzinfo=zone),
        end=dt.datetime.combine(last, dt.time.min, tzinfo=zone),
    )
    return [public_out(h) for h in hearings]


class FeedOut(BaseModel):
    url: str


@router.post(
    "/hearings/feed",
    response={201: FeedOut, 401: ErrorOut, 403: ErrorOut},
    summary="Issue (or replace) my secret iCalendar feed address",
    auth=Session(),
)
def issue_feed(request: HttpRequest) -> Status[FeedOut]:
    user = request_user(request)
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
    user = request_user(request)
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
