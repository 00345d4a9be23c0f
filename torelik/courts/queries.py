"""Reads of the court registry."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from torelik.courts.errors import CourtNotFoundError, CourtsErrorCode
from torelik.courts.models import CaseCategory, Court, Courtroom, Judge, Region


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
