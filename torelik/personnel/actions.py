"""Writes to the personnel records: posts established in a court's staff table, appointments and the
other lines of a career, absences. Every door (pages, API, demo) calls these.

A judge's absence is written as the `courts.JudgeAbsence` the distribution reads, through
`courts.actions.record_judge_absence`, in the same transaction as its personnel record: there is no
other list of judges' absences (ADR 0101). Its moment of recording is the clock's, so an absence
entered after the fact is flagged and never reaches back into the draws already made (ADR 0102)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.core import clock
from torelik.courts.actions import change_judge_standing, record_judge_absence, record_standing_change
from torelik.courts.models import AbsenceKind, Court, Judge, JudgeAbsence
from torelik.courts.queries import NOT_YET_A_JUDGE, standing_of
from torelik.courts.zones import court_zone
from torelik.identity.models import Person, User
from torelik.personnel.errors import PersonnelConflict, PersonnelError, PersonnelErrorCode
from torelik.personnel.models import JUDICIAL_POSTS, Absence, CareerEntry, CareerEntryKind, Post, PostKind

MOVES = frozenset({CareerEntryKind.APPOINTMENT, CareerEntryKind.TRANSFER, CareerEntryKind.PROMOTION})
DECISIONS = frozenset({CareerEntryKind.QUALIFICATION, CareerEntryKind.DISCIPLINARY, CareerEntryKind.DISMISSAL})
MAX_POSTS_AT_ONCE = 200


def _error(code: PersonnelErrorCode, message: object, field: str, **params: object) -> PersonnelError:
    error = PersonnelError(code, message, params=params)  # type: ignore[arg-type]
    error.fields = {field: [error.message]}
    return error


@transaction.atomic
def establish_posts(*, court: Court, kind: PostKind, count: int, actor: User | None) -> list[Post]:
    """Add `count` posts of `kind` to the court's staff table, numbered after the existing ones."""
    if not 1 <= count <= MAX_POSTS_AT_ONCE:
        raise _error(
            PersonnelErrorCode.POSTS_COUNT,
            _("Between 1 and %(most)s posts can be added at once."),
            "count",
            most=MAX_POSTS_AT_ONCE,
        )
    Court.objects.select_for_update().get(pk=court.pk)  # numbers given one court at a time
    last = Post.objects.filter(court=court, kind=kind).aggregate(last=Max("number"))["last"] or 0
    return Post.objects.bulk_create(
        [Post(court=court, kind=kind, number=last + offset) for offset in range(1, count + 1)]
    )


@transaction.atomic
def abolish_post(*, post: Post, actor: User | None) -> None:
    """Take a vacant post out of the staff table (a held post is vacated first, by a decision)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.holder_id is not None or post.career.exists():
        raise PersonnelConflict(PersonnelErrorCode.POST_HELD, _("A post that is or was held stays in the staff table."))
    post.delete()


def _check_dates(first: dt.date | None, last: dt.date | None, field: str) -> None:
    if first is not None and last is not None and last < first:
        raise _error(PersonnelErrorCode.DATES_REVERSED, _("The end date is before the start date."), field)


def _judge_moved(*, person: Person, post: Post, effective_on: dt.date, actor: User | None, reason: str) -> None:
    """Keep what the distribution reads of the judge true: a new judge, or a judge of another court."""
    judge = Judge.objects.select_for_update().filter(person=person).first()
    if judge is None:
        judge = Judge.objects.create(person=person, court=post.court, appointed_on=effective_on, is_active=True)
        record_standing_change(judge=judge, before=NOT_YET_A_JUDGE, actor=actor, reason=reason)
        return
    before = standing_of(judge)
    judge.court = post.court
    judge.is_active = True
    judge.participation_rate = Decimal("0.50") if post.kind == PostKind.CHAIRMAN else Decimal("1.00")
    judge.save(update_fields=["court", "is_active", "participation_rate", "updated_at"])
    record_standing_change(judge=judge, before=before, actor=actor, reason=reason)


@transaction.atomic
def appoint(
    *,
    person: Person,
    post: Post,
    kind: CareerEntryKind = CareerEntryKind.APPOINTMENT,
    effective_on: dt.date,
    decree_number: str,
    decree_date: dt.date,
    term_ends_on: dt.date | None = None,
    document: StoredFile | None = None,
    actor: User | None,
) -> CareerEntry:
    """Put `person` into a vacant `post` (an appointment, a transfer or a promotion), vacating the post
    they held. A judicial post carries the term of office when there is one."""
    if kind not in MOVES:
        raise _error(PersonnelErrorCode.POST_NOT_FOUND, _("Choose an appointment, a transfer or a promotion."), "kind")
    post = Post.objects.select_for_update().select_related("court").get(pk=post.pk)
    if post.holder_id is not None and post.holder_id != person.pk:
        raise PersonnelConflict(
            PersonnelErrorCode.POST_FILLED,
            _("The post is held by someone else: it is not vacant."),
            fields={"post": [str(_("The post is held by someone else: it is not vacant."))]},
        )
    _check_dates(effective_on, term_ends_on, "term_ends_on")
    _check_dates(decree_date, effective_on, "effective_on")
    Post.objects.filter(holder=person).exclude(pk=post.pk).update(holder=None, held_since=None, term_ends_on=None)
    post.holder = person
    post.held_since = effective_on
    post.term_ends_on = term_ends_on if post.kind in JUDICIAL_POSTS else None
    post.save(update_fields=["holder", "held_since", "term_ends_on", "updated_at"])
    if post.kind in JUDICIAL_POSTS:
        _judge_moved(person=person, post=post, effective_on=effective_on, actor=actor, reason=f"{kind} {decree_number}")
    return CareerEntry.objects.create(
        person=person,
        kind=kind,
        court=post.court,
        post=post,
        effective_on=effective_on,
        decree_number=decree_number,
        decree_date=decree_date,
        term_ends_on=post.term_ends_on,
        document=document,
        recorded_at=clock.now(),
        recorded_by=actor,
    )


def current_court(person: Person) -> Court:
    """The court a person works in: their post's, or (a judge recorded before the staff table) the judge's."""
    post = Post.objects.filter(holder=person).select_related("court").first()
    if post is not None:
        return post.court
    judge = Judge.objects.filter(person=person, is_active=True).select_related("court").first()
    if judge is not None:
        return judge.court
    raise _error(PersonnelErrorCode.NOT_EMPLOYED, _("This person holds no post in any court."), "person")


@transaction.atomic
def record_decision(
    *,
    person: Person,
    kind: CareerEntryKind,
    effective_on: dt.date,
    decree_number: str,
    decree_date: dt.date | None,
    details: str = "",
    document: StoredFile | None = None,
    actor: User | None,
) -> CareerEntry:
    """A qualification class, a disciplinary decision or a dismissal (which vacates the post and, for a
    judge, ends what the distribution reads of them as in office)."""
    if kind not in DECISIONS:
        raise _error(PersonnelErrorCode.POST_NOT_FOUND, _("Choose a kind of decision."), "kind")
    Person.objects.select_for_update().get(pk=person.pk)
    court = current_court(person)
    _check_dates(decree_date, effective_on, "effective_on")
    post = Post.objects.filter(holder=person).first()
    if kind == CareerEntryKind.DISMISSAL:
        Post.objects.filter(holder=person).update(holder=None, held_since=None, term_ends_on=None)
        judge = Judge.objects.filter(person=person, is_active=True).first()
        if judge is not None:
            change_judge_standing(judge=judge, actor=actor, reason=f"dismissal {decree_number}", is_active=False)
    return CareerEntry.objects.create(
        person=person,
        kind=kind,
        court=court,
        post=post,
        effective_on=effective_on,
        decree_number=decree_number,
        decree_date=decree_date,
        details=details,
        document=document,
        recorded_at=clock.now(),
        recorded_by=actor,
    )


def is_backdated(starts_on: dt.date, recorded_at: dt.datetime, court: Court) -> bool:
    """Entered after the fact: the absence had begun by the day it was recorded, on the court's clock
    (`courts.zones.court_zone`, not the server's). The draws of those days were made without it and
    stand (docs/distribution.md, section 2.1)."""
    return starts_on <= recorded_at.astimezone(court_zone(court)).date()


@transaction.atomic
def record_absence(
    *,
    person: Person,
    kind: AbsenceKind,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
    document: StoredFile | None = None,
    actor: User | None,
) -> Absence:
    """Record a leave, sick leave, business trip or training. Refused when the dates are reversed or it
    overlaps another absence of the person; allowed but flagged when it has already begun."""
    _check_dates(starts_on, ends_on, "ends_on")
    Person.objects.select_for_update().get(pk=person.pk)  # one absence of a person at a time
    court = current_court(person)
    judge = Judge.objects.filter(person=person).first()
    overlapping = Absence.objects.filter(person=person, starts_on__lte=ends_on, ends_on__gte=starts_on).exists()
    if judge is not None:
        overlapping = (
            overlapping
            or JudgeAbsence.objects.filter(judge=judge, starts_on__lte=ends_on, ends_on__gte=starts_on).exists()
        )
    if overlapping:
        raise PersonnelConflict(
            PersonnelErrorCode.ABSENCE_OVERLAPS,
            _("This person already has an absence recorded on some of these days."),
            fields={"starts_on": [str(_("This person already has an absence recorded on some of these days."))]},
        )
    judge_absence = None
    if judge is not None and judge.is_active:
        judge_absence = record_judge_absence(
            judge=judge, kind=kind, starts_on=starts_on, ends_on=ends_on, reason=reason, actor=actor
        )
    recorded_at = judge_absence.recorded_at if judge_absence is not None else clock.now()
    absence = Absence.objects.create(
        person=person,
        court=court,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        document=document,
        judge_absence=judge_absence,
        backdated=is_backdated(starts_on, recorded_at, court),
        recorded_at=recorded_at,
        recorded_by=actor,
    )
    CareerEntry.objects.create(
        person=person,
        kind=CareerEntryKind.ABSENCE,
        court=court,
        effective_on=starts_on,
        details=reason,
        document=document,
        absence=absence,
        recorded_at=recorded_at,
        recorded_by=actor,
    )
    return absence
