"""Reads of the court registry; who holds which staff position today; what the distribution reads of
a judge (their standing) and of a case category (its terms) at a past moment, by their journals."""

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.core.rows import column, table
from torelik.courts.errors import CourtNotFoundError, CourtsErrorCode
from torelik.courts.models import (
    CaseCategory,
    CaseCategoryChange,
    Court,
    Courtroom,
    Judge,
    JudgeStandingChange,
    RecordedChange,
    Region,
    StaffPosition,
)
from torelik.identity.models import User


def _count_of(model: type[Judge] | type[Courtroom], **filters: object) -> Coalesce:
    rows = (
        model.objects.filter(court=OuterRef("pk"), **filters)
        .order_by()
        .values("court")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def search_courts(*, region: str | None = None, kind: str | None = None, q: str | None = None) -> QuerySet[Court]:
    """Active courts, filtered by region code, kind and a free-text query (code or name)."""
    courts = (
        Court.objects.filter(is_active=True)
        .select_related("region", "parent")
        .annotate(judge_count=_count_of(Judge, is_active=True), courtroom_count=_count_of(Courtroom))
        .order_by("code")
    )
    return _filtered(courts, region=region, kind=kind, q=q)


BRIEF_FIELDS = ("code", "kind", "name_kk", "name_ru", "name_en", "region__code", "parent__code")


def court_brief_rows(
    *, region: str | None = None, kind: str | None = None, q: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """A page of active courts as plain rows of what a list shows (BRIEF_FIELDS), and how many match."""
    courts = _filtered(Court.objects.filter(is_active=True).order_by("code"), region=region, kind=kind, q=q)
    return list(courts.values(*BRIEF_FIELDS)[offset : offset + limit]), courts.count()


def _filtered(courts: QuerySet[Court], *, region: str | None, kind: str | None, q: str | None) -> QuerySet[Court]:
    if region:
        courts = courts.filter(region__code=region)
    if kind:
        courts = courts.filter(kind=kind)
    if q:
        for word in q.casefold().split():
            courts = courts.filter(search_text__contains=word)
    return courts


def get_court(code: str) -> Court:
    """The active court with this code, with its counts; CourtNotFoundError otherwise."""
    court = search_courts().filter(code=code).first()
    if court is None:
        raise CourtNotFoundError(
            CourtsErrorCode.COURT_NOT_FOUND, _("There is no court with the code %(code)s."), params={"code": code}
        )
    return court


@dataclass(frozen=True)
class RegistryVersion:
    """What changes when the public registry does: rows counted and their latest save, per table."""

    marks: tuple[tuple[int, dt.datetime | None], ...]

    @property
    def last_modified(self) -> dt.datetime | None:
        moments = [moment for _, moment in self.marks if moment is not None]
        return max(moments) if moments else None


def registry_version() -> RegistryVersion:
    """The registry's version: a saved, added or removed court, judge, courtroom or region, or a judge's
    renamed person, moves it (five small aggregates). A specialisation added alone does not: bounded by
    the answers' age (courts.registry)."""
    marks: list[tuple[int, dt.datetime | None]] = []
    for model in (Court, Judge, Courtroom, Region):
        row = model.objects.order_by().aggregate(n=Count("pk"), at=Max("updated_at"))
        marks.append((int(row["n"]), row["at"]))
    people = Judge.objects.order_by().aggregate(at=Max("person__updated_at"))
    marks.append((0, people["at"]))
    return RegistryVersion(marks=tuple(marks))


def court_with_region(code: str) -> Court | None:
    """The court with this code, active or not, with its region (for its time zone)."""
    return Court.objects.select_related("region").filter(code=code).first()


def judges_of(court: Court) -> QuerySet[Judge]:
    return (
        Judge.objects.filter(court=court, is_active=True)
        .select_related("person")
        .prefetch_related("specialisations")
        .order_by("person__surname", "person__given_name")
    )


def courtrooms_of(court: Court) -> QuerySet[Courtroom]:
    return Courtroom.objects.filter(court=court).order_by("number")


def regions_with_court_counts() -> QuerySet[Region]:
    return Region.objects.annotate(court_count=Count("courts", filter=Q(courts__is_active=True))).order_by("code")


def search_case_categories(*, proceeding_type: str | None = None, q: str | None = None) -> QuerySet[CaseCategory]:
    categories = CaseCategory.objects.filter(is_active=True).select_related("parent").order_by("code")
    if proceeding_type:
        categories = categories.filter(proceeding_type=proceeding_type)
    if q:
        categories = categories.filter(
            Q(code__startswith=q) | Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q)
        )
    return categories


@dataclass(frozen=True)
class CourtroomEquipment:
    courtrooms: int
    recording: int
    videoconference: int

    @property
    def recording_share(self) -> float:
        return self.recording / self.courtrooms if self.courtrooms else 0.0

    @property
    def videoconference_share(self) -> float:
        return self.videoconference / self.courtrooms if self.courtrooms else 0.0


def courtroom_equipment(*, region: str | None = None) -> CourtroomEquipment:
    """How many courtrooms there are and how many are equipped with audio-video recording and
    videoconference (one aggregate query)."""
    rooms = Courtroom.objects.all()
    if region:
        rooms = rooms.filter(court__region__code=region)
    totals = rooms.aggregate(
        courtrooms=Count("pk"),
        recording=Count("pk", filter=Q(has_recording=True)),
        videoconference=Count("pk", filter=Q(has_videoconference=True)),
    )
    return CourtroomEquipment(**totals)


# --- What the distribution reads of a judge, and its journal ---------------------------------------


Change = TypeVar("Change", bound=RecordedChange)


@dataclass(frozen=True)
class Standing:
    """What the distribution reads of a judge: the court, in office or not, the participation
    rate, the specialisations."""

    court_id: int | None
    participation_rate: Decimal
    is_active: bool
    specialisations: frozenset[str]

    def as_data(self) -> dict[str, Any]:
        return {
            "court": self.court_id,
            "participation_rate": str(self.participation_rate),
            "is_active": self.is_active,
            "specialisations": sorted(self.specialisations),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "Standing":
        return cls(
            court_id=data.get("court"),
            participation_rate=Decimal(str(data["participation_rate"])),
            is_active=bool(data["is_active"]),
            specialisations=frozenset(data["specialisations"]),
        )


# The standing of a judge before the record of their appointment: of no court, taking no cases.
NOT_YET_A_JUDGE = Standing(court_id=None, participation_rate=Decimal("0"), is_active=False, specialisations=frozenset())


def standing_of(judge: Judge) -> Standing:
    """The judge's standing as it is now (reads the specialisations)."""
    return Standing(
        court_id=judge.court_id,
        participation_rate=Decimal(judge.participation_rate),
        is_active=judge.is_active,
        specialisations=frozenset(s.specialisation for s in judge.specialisations.all()),
    )


def judges_of_court_as_of(court_id: int, moment: dt.datetime) -> QuerySet[Judge]:
    """The judges who are of the court now, or who were at `moment` by the journal (moved away
    since). For an earlier moment it holds those of any later one: `was_of_court` then tells, from
    the journal, which of them belong at each."""
    moved_away = JudgeStandingChange.objects.filter(recorded_at__gt=moment, before__court=court_id).values("judge_id")
    return Judge.objects.filter(Q(court_id=court_id) | Q(pk__in=moved_away))


StandingJournal = Mapping[int, list[JudgeStandingChange]]


def _journals(model: type[Change], owner: str, ids: Iterable[int]) -> dict[int, list[Change]]:
    """The changes recorded of these owners, oldest first, by owner id (one query)."""
    journal: dict[int, list[Change]] = {}
    for change in model._default_manager.filter(**{f"{owner}_id__in": list(ids)}).order_by("recorded_at", "id"):
        journal.setdefault(getattr(change, f"{owner}_id"), []).append(change)
    return journal


def _state_at(changes: Sequence[RecordedChange], moment: dt.datetime) -> Mapping[str, Any] | None:
    """What a journal says was so at `moment`: the state after the last change recorded by then, or
    before the first one recorded since; None when it holds no change (the row as saved is right)."""
    known = [change for change in changes if change.recorded_at <= moment]
    state: Mapping[str, Any] | None = known[-1].after if known else changes[0].before if changes else None
    return state


def standing_journal(judge_ids: Iterable[int]) -> dict[int, list[JudgeStandingChange]]:
    """The journal of these judges' standing, by judge: read once, it answers `standings_as_of` and
    `was_of_court` for any moment."""
    return _journals(JudgeStandingChange, "judge", judge_ids)


def was_of_court(judge: Judge, court_id: int, moment: dt.datetime, journal: StandingJournal) -> bool:
    """Whether `judge` belongs in `judges_of_court_as_of(court, moment)`: of the court now, or moved
    away from it after `moment`."""
    return judge.court_id == court_id or any(
        change.recorded_at > moment and change.before.get("court") == court_id for change in journal.get(judge.pk, ())
    )


def standings_as_of(
    judges: Iterable[Judge], moment: dt.datetime, *, journal: StandingJournal | None = None
) -> dict[int, Standing]:
    """Each judge's standing as it was at `moment` by the journal: the state after the last change
    recorded by then, or before the first change recorded since; the judge as saved where the
    journal has nothing (one query, none when the journal is given)."""
    by_pk = {judge.pk: judge for judge in judges}
    if journal is None:
        journal = standing_journal(by_pk)
    result: dict[int, Standing] = {}
    for pk, judge in by_pk.items():
        state = _state_at(journal.get(pk, []), moment)
        result[pk] = Standing.from_data(state) if state is not None else standing_of(judge)
    return result


# --- What the distribution reads of a case category, and its journal ------------------------------


@dataclass(frozen=True)
class CategoryTerms:
    """What the distribution reads of a case category: the specialisation of the judges who take it,
    and the complexity coefficient that weighs it in their load."""

    specialisation: str
    complexity: Decimal

    def as_data(self) -> dict[str, Any]:
        return {"specialisation": self.specialisation, "complexity": str(self.complexity)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> "CategoryTerms":
        return cls(specialisation=str(data["specialisation"]), complexity=Decimal(str(data["complexity"])))


def terms_of(category: CaseCategory) -> CategoryTerms:
    """The category's terms as they are saved now."""
    return CategoryTerms(specialisation=category.specialisation, complexity=Decimal(category.complexity))


def category_journal(category_ids: Iterable[int]) -> dict[int, list[CaseCategoryChange]]:
    """The journal of these categories' terms, by category."""
    return _journals(CaseCategoryChange, "category", category_ids)


def category_terms_as_of(
    category: CaseCategory, moment: dt.datetime, *, journal: Mapping[int, list[CaseCategoryChange]] | None = None
) -> CategoryTerms:
    """The category's terms at `moment` by the journal: after the last change recorded by then, or
    before the first change recorded since; as saved where the journal has nothing (one query,
    none when the journal is given)."""
    changes = (journal if journal is not None else category_journal([category.pk])).get(category.pk, [])
    state = _state_at(changes, moment)
    return CategoryTerms.from_data(state) if state is not None else terms_of(category)


# --- Staff positions: who holds which role where ---------------------------------------------------
# The rule, stated once: a position counts from its first day (`starts_on`) to its last (`ends_on`),
# both included, and one without a first or a last day runs open on that side. `holds_role_in` says
# the same in plain SQL (a test holds the two to each other).


def positions_held(*, on: dt.date | None = None) -> QuerySet[StaffPosition]:
    """Every staff position held on `on` (today by default), of anyone in any court."""
    day = on or clock.today()
    return StaffPosition.objects.exclude(starts_on__gt=day).exclude(ends_on__lt=day)


def positions_of(user: User | None) -> QuerySet[StaffPosition]:
    """The staff positions `user` holds today (none for nobody logged in)."""
    if user is None or not user.is_authenticated:
        return StaffPosition.objects.none()
    return positions_held().filter(user=user)


@functools.cache
def holds_role_sql(roles: int) -> str:
    """`positions_of(user).filter(court=..., role__in=...)`, asked whether it is empty, for `roles` roles
    (ADR 0032)."""
    field = functools.partial(column, StaffPosition)
    starts, ends = field("starts_on"), field("ends_on")
    return (
        f"SELECT 1 FROM {table(StaffPosition)} WHERE {field('user')} = %s AND {field('court')} = %s"  # noqa: S608
        f" AND {field('role')} IN ({', '.join(['%s'] * roles)})"
        f" AND ({starts} IS NULL OR {starts} <= %s) AND ({ends} IS NULL OR {ends} >= %s) LIMIT 1"
    )


def holds_role_in(user: User | None, court: Court, roles: frozenset[str]) -> bool:
    """Whether `user` holds one of `roles` in `court` today. Plain SQL: this runs before every
    registration and every procedural act of a court's staff, and compiling it through the ORM cost
    several times what running it does."""
    if user is None or not user.is_authenticated or not roles:
        return False
    today = clock.today()
    with connection.cursor() as cursor:
        cursor.execute(holds_role_sql(len(roles)), [user.pk, court.pk, *sorted(roles), today, today])
        return cursor.fetchone() is not None
