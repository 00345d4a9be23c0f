"""JSON API of the summons context: open a subpoena with phone and code (no account; 429 once
locked), check a subpoena by its number, and the country's statistics of notices."""

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema
from pydantic import Field

from torelik.core import clock
from torelik.core.api import Day, ErrorOut
from torelik.summons import actions, queries
from torelik.summons.errors import SubpoenaNotFoundError, SummonsError, SummonsErrorCode
from torelik.summons.forms import MAX_PERIOD_DAYS
from torelik.summons.subpoena_text import subpoena_text

router = Router(tags=["summons"])
PERIOD_MESSAGE = gettext_lazy("Choose a period of at most a year that ends after it starts.")


class OpenIn(Schema):
    phone: str = Field(max_length=30, examples=["+7 701 123 45 67"])
    code: str = Field(max_length=12, examples=["123456"])


class FactOut(Schema):
    label: str
    value: str


class SubpoenaOut(Schema):
    number: str
    status: str
    court: str
    title: str
    addressee: str
    summons: str
    facts: list[FactOut]
    consequences: list[str]
    verify_url: str
    first_viewed_at: dt.datetime | None


@router.post(
    "/summons/open",
    response={200: SubpoenaOut, 401: ErrorOut, 410: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="Open a subpoena with the phone number and the code from the SMS",
)
def open_subpoena(request: HttpRequest, payload: OpenIn) -> SubpoenaOut:
    """The first opening is recorded in the case journal as the moment of familiarisation. An unknown
    phone and a wrong code get the same answer (401); after 5 wrong tries in an hour, 429."""
    subpoena = actions.open_subpoena(
        phone=payload.phone, code=payload.code, ip_address=request.META.get("REMOTE_ADDR") or None
    )
    text = subpoena_text(subpoena, getattr(request, "LANGUAGE_CODE", None) or subpoena.language)
    return SubpoenaOut(
        number=subpoena.number,
        status=subpoena.status,
        court=text.court,
        title=text.title,
        addressee=text.addressee,
        summons=text.summons,
        facts=[FactOut(label=label, value=value) for label, value in text.facts],
        consequences=[f"{line} ({basis})" for line, basis in text.consequences],
        verify_url=text.verify_url,
        first_viewed_at=subpoena.first_viewed_at,
    )


class VerificationOut(Schema):
    """A genuine subpoena's public facts; of a hearing in closed session only `genuine` (and the number)."""

    number: str
    genuine: bool
    closed_session: bool = False
    status: str | None = None
    court_code: str | None = None
    court: str | None = None
    issued_at: dt.datetime | None = None
    hearing_at: str | None = None
    courtroom: str | None = None


class VerifyIn(Schema):
    code: str = Field(min_length=1, max_length=20, description="the check code under the subpoena's QR code")


@router.get(
    "/summons/verify/{number}",
    response={200: VerificationOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Check a subpoena by its number and the check code of its QR (no personal data)",
)
def verify_subpoena(request: HttpRequest, number: str, query: Query[VerifyIn]) -> VerificationOut:
    subpoena = queries.subpoena_to_verify(number, query.code)
    if subpoena is None:
        raise SubpoenaNotFoundError(
            SummonsErrorCode.SUBPOENA_NOT_FOUND,
            gettext_lazy("No subpoena with the number %(number)s and this check code was issued."),
            params={"number": number},
        )
    if subpoena.hearing.is_closed:
        return VerificationOut(number=subpoena.number, genuine=True, closed_session=True)
    text = subpoena_text(subpoena, getattr(request, "LANGUAGE_CODE", None) or subpoena.language)
    return VerificationOut(
        number=subpoena.number,
        genuine=True,
        status=subpoena.status,
        court_code=subpoena.court.code,
        court=text.court,
        issued_at=subpoena.issued_at,
        hearing_at=str(subpoena.facts.get("local_time", "")),
        courtroom=str(subpoena.facts.get("courtroom", "")),
    )


class StatisticsOut(Schema):
    start: dt.date
    end: dt.date
    messages_sent: int
    sms_sent: int
    sms_segments: int
    cost: str
    messages_delivered: int
    delivery_rate: float | None
    participants_notified: int
    subpoenas_issued: int
    subpoenas_viewed: int
    subpoenas_revoked: int
    document_logins: int
    documents_studied: int
    document_openings: int


@router.get(
    "/summons/statistics",
    response={200: StatisticsOut, 422: ErrorOut},
    auth=None,
    summary="The country's statistics of notices for a period (at most a year; last 30 days by default)",
)
def statistics(request: HttpRequest, start: Day | None = None, end: Day | None = None) -> StatisticsOut:
    end = end or clock.today()
    start = start or end - dt.timedelta(days=29)
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        error = SummonsError(SummonsErrorCode.INVALID_PERIOD, PERIOD_MESSAGE)
        error.fields = {"end": [error.message]}
        raise error
    figures = queries.statistics(court_ids=None, start=start, end=end).totals
    return StatisticsOut(
        start=start,
        end=end,
        messages_sent=figures.messages_sent,
        sms_sent=figures.sms_sent,
        sms_segments=figures.sms_segments,
        cost=str(figures.cost),
        messages_delivered=figures.messages_delivered,
        delivery_rate=figures.delivery_rate,
        participants_notified=figures.participants_notified,
        subpoenas_issued=figures.subpoenas_issued,
        subpoenas_viewed=figures.subpoenas_viewed,
        subpoenas_revoked=figures.subpoenas_revoked,
        document_logins=figures.document_logins,
        document_openings=figures.document_openings,
        documents_studied=figures.documents_studied,
    )
