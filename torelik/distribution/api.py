"""Open data of the distribution: every protocol, no login (`/api/v1/cases/{number}/distribution`,
`/api/v1/distribution/protocols`, `/api/v1/distribution/anchors`)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from torelik.cases.access import access_case_for
from torelik.cases.models import Case
from torelik.core.api import Day, Pagination, Session
from torelik.courts.models import Court
from torelik.distribution import queries
from torelik.distribution.actions import redistribute
from torelik.distribution.errors import DistributionError, DistributionErrorCode, DrawNotFoundError
from torelik.distribution.handlers import complete_soon
from torelik.distribution.models import DrawReason
from torelik.identity.models import User

router = Router(tags=["distribution"])


class ProtocolList(Schema):
    case: str
    draws: list[dict[str, Any]]


class AnchorOut(Schema):
    chain: str
    segment: int
    first_round: int
    last_round: int
    anchor: str
    published_at: dt.datetime


class RedistributionIn(Schema):
    reason: DrawReason = Field(description="recusal, conflict_of_interest, long_absence or judge_left")
    grounds: str = Field(min_length=3, max_length=500, description="the ruling or fact the new draw rests on")


class ProtocolFilters(Schema):
    court: str | None = Field(default=None, pattern=r"^\d{4}$", description="court code, four digits")
    since: Day | None = Field(default=None, alias="from", description="committed on or after (YYYY-MM-DD)")
    until: Day | None = Field(default=None, alias="to", description="committed on or before (YYYY-MM-DD)")


def _start(day: dt.date | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, dt.time())) if day else None


@router.get("/cases/{path:number}/distribution", response=ProtocolList, summary="Distribution protocols of a case")
def case_protocols(request: HttpRequest, number: str) -> dict[str, Any]:
    case = Case.objects.filter(number=number).first()
    draws = list(queries.draws_of(case)) if case is not None else []
    if not draws:
        raise DrawNotFoundError(
            DistributionErrorCode.NO_DRAW, _("No distribution of case %(number)s was found."), params={"number": number}
        )
    return {"case": number, "draws": [queries.logged_protocol(draw) for draw in draws]}


@router.get("/distribution/protocols", response=list[dict[str, Any]], summary="Distribution protocols (open data)")
@paginate(Pagination)
def all_protocols(request: HttpRequest, filters: Query[ProtocolFilters]) -> list[dict[str, Any]]:
    court = None
    if filters.court:
        court = Court.objects.filter(code=filters.court).first()
        if court is None:
            raise DrawNotFoundError(DistributionErrorCode.NO_DRAW, _("There is no court with this code."))
    if filters.since and filters.until and filters.since > filters.until:
        message = _("The period ends before it starts.")
        raise DistributionError(DistributionErrorCode.INVALID_PERIOD, message, fields={"to": [str(message)]})
    until = _start(filters.until + dt.timedelta(days=1)) if filters.until else None
    draws = queries.protocols(court=court, since=_start(filters.since), until=until)
    return _Protocols(draws)  # type: ignore[return-value]


class _Protocols:
    """A lazily serialised queryset: the paginator slices it before any protocol is built."""

    def __init__(self, draws: "Any") -> None:
        self.draws = draws

    def __len__(self) -> int:
        return int(self.draws.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [queries.logged_protocol(draw) for draw in self.draws[index]]


@router.get("/distribution/anchors", response=list[AnchorOut], summary="Published anchors of the local beacon")
@paginate(Pagination)
def beacon_anchors(request: HttpRequest, chain: str | None = None) -> "Any":
    return queries.anchors(chain)


@router.post(
    "/cases/{path:number}/distribution/redistribute",
    response={201: dict[str, Any]},
    auth=Session(),
    summary="Order a new draw (court chairman): the leaving judge is excluded, nobody chooses the next",
)
def order_redistribution(request: HttpRequest, number: str, payload: RedistributionIn) -> tuple[int, dict[str, Any]]:
    user = request.auth  # type: ignore[attr-defined]  # set by the router's authentication
    assert isinstance(user, User)  # noqa: S101 - guaranteed by Session
    case = access_case_for(user, number)
    draw = redistribute(case=case, reason=payload.reason, grounds=payload.grounds, actor=user)
    complete_soon(draw)
    return 201, draw.protocol()
