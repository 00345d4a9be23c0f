"""The personnel officers' API (session, the same rule as the pages: `access.py`): a court's staff
table, a person's absences, recording an absence (`/api/v1/personnel/...`)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import Field

from torelik.core.api import Day, Session
from torelik.core.errors import PermissionDeniedError
from torelik.courts.models import AbsenceKind, Court
from torelik.identity.models import Person, User
from torelik.personnel import access, actions, queries

router = Router(tags=["personnel"], auth=Session())


class PostOut(Schema):
    kind: str
    number: int
    holder_iin: str | None
    holder: str | None
    held_since: dt.date | None
    term_ends_on: dt.date | None


class StaffTableOut(Schema):
    court: str
    posts: list[PostOut]
    vacant: int


class AbsenceIn(Schema):
    kind: AbsenceKind = Field(description="leave, sick, training, secondment (business trip) or other")
    starts_on: Day
    ends_on: Day
    reason: str = Field("", max_length=300)


class AbsenceOut(Schema):
    id: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    backdated: bool
    recorded_at: dt.datetime


def _officer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by the router's authentication
    if not isinstance(user, User) or not access.is_officer(user):
        raise PermissionDeniedError("not_personnel_officer", _("These pages are for the courts' personnel officers."))
    return user


def _absence(absence: Any) -> dict[str, Any]:
    return {
        "id": str(absence.public_id),
        "kind": absence.kind,
        "starts_on": absence.starts_on,
        "ends_on": absence.ends_on,
        "backdated": absence.backdated,
        "recorded_at": absence.recorded_at,
    }


@router.get("/personnel/courts/{code}/staff-table", response=StaffTableOut, summary="A court's staff table")
def staff_table(request: HttpRequest, code: str) -> dict[str, Any]:
    user = _officer(request)
    court = get_object_or_404(Court, code=code)
    if not access.keeps_records_of(user, court):
        raise PermissionDeniedError("another_court", _("You keep the personnel records of another court."))
    posts = [
        {
            "kind": post.kind,
            "number": post.number,
            "holder_iin": post.holder.iin if post.holder else None,
            "holder": post.holder.full_name if post.holder else None,
            "held_since": post.held_since,
            "term_ends_on": post.term_ends_on,
        }
        for post in queries.staff_table(court)
    ]
    return {"court": court.code, "posts": posts, "vacant": sum(1 for post in posts if post["holder"] is None)}


def _person(user: User, iin: str) -> Person:
    person = get_object_or_404(Person, iin=iin)
    if not access.keeps_records_of_person(user, person):
        raise PermissionDeniedError("another_court", _("You keep the personnel records of another court."))
    return person


@router.get("/personnel/people/{iin}/absences", response=list[AbsenceOut], summary="A person's absences")
def person_absences(request: HttpRequest, iin: str) -> list[dict[str, Any]]:
    person = _person(_officer(request), iin)
    return [_absence(absence) for absence in queries.absences_of(person)]


@router.post(
    "/personnel/people/{iin}/absences",
    response={201: AbsenceOut},
    summary="Record an absence (a judge's is what the distribution reads; one already begun is flagged)",
)
def record_absence(request: HttpRequest, iin: str, payload: AbsenceIn) -> tuple[int, dict[str, Any]]:
    user = _officer(request)
    person = _person(user, iin)
    absence = actions.record_absence(
        person=person,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
        actor=user,
    )
    return 201, _absence(absence)
