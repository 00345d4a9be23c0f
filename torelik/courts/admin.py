from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from torelik.courts.actions import court_search_text, record_category_change, record_standing_change
from torelik.courts.models import (
    CaseCategory,
    CaseCategoryChange,
    Court,
    Courtroom,
    Judge,
    JudgeAbsence,
    JudgeSpecialisation,
    JudgeStandingChange,
    Region,
    StaffPosition,
)
from torelik.courts.queries import NOT_YET_A_JUDGE, standing_of, terms_of
from torelik.identity.models import User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind", "time_zone"]


class CourtroomInline(admin.TabularInline[Courtroom, Court]):
    model = Courtroom
    extra = 0


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin[Court]):
    list_display = ["code", "name_ru", "kind", "specialisation", "region"]
    list_filter = ["kind", "specialisation", "region"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    raw_id_fields = ["parent"]
    inlines = [CourtroomInline]

    def save_model(self, request: HttpRequest, obj: Court, form: object, change: bool) -> None:  # noqa: FBT001
        obj.search_text = court_search_text(obj)
        super().save_model(request, obj, form, change)


class JudgeSpecialisationInline(admin.TabularInline[JudgeSpecialisation, Judge]):
    model = JudgeSpecialisation
    extra = 0


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin[Judge]):
    """A change of participation, office or specialisations is journaled once the form and its
    specialisations are saved; the distribution counts it from a day after."""

    list_display = ["person", "court", "participation_rate", "is_active"]
    list_filter = ["is_active", "court__kind"]
    search_fields = ["person__surname", "person__iin", "court__code"]
    raw_id_fields = ["person", "court"]
    inlines = [JudgeSpecialisationInline]

    def save_model(self, request: HttpRequest, obj: Judge, form: Any, change: bool) -> None:  # noqa: FBT001
        # Kept on this request's form: the admin object is shared by every request.
        form.standing_before = (
            standing_of(Judge.objects.prefetch_related("specialisations").get(pk=obj.pk)) if change else NOT_YET_A_JUDGE
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:  # noqa: FBT001
        super().save_related(request, form, formsets, change)
        before = getattr(form, "standing_before", None)
        if before is not None:
            actor = request.user if isinstance(request.user, User) else None
            record_standing_change(
                judge=form.instance,
                before=before,
                actor=actor,
                reason=str(_("changed in the admin") if change else _("appointed in the admin")),
            )


class RecordedChangeAdmin(admin.ModelAdmin[Any]):
    """A journal of changes the distribution reads: shown, never added, changed or deleted here."""

    date_hierarchy = "recorded_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        return False


@admin.register(JudgeStandingChange)
class JudgeStandingChangeAdmin(RecordedChangeAdmin):
    """The journal of judges' standing: read-only."""

    list_display = ["judge", "recorded_at", "recorded_by", "reason"]
    raw_id_fields = ["judge"]


@admin.register(JudgeAbsence)
class JudgeAbsenceAdmin(admin.ModelAdmin[JudgeAbsence]):
    """Read-only here, deletion too (ADR 0101): absences are recorded on the personnel officer's pages
    (`personnel.actions.record_absence`, which stamps the moment and keeps the personnel record and
    this row together); a row removed here would leave the personnel record without it and change
    what past draws are checked against."""

    list_display = ["judge", "kind", "starts_on", "ends_on", "recorded_at"]
    raw_id_fields = ["judge"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JudgeAbsence | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JudgeAbsence | None = None) -> bool:
        return False


@admin.register(StaffPosition)
class StaffPositionAdmin(admin.ModelAdmin[StaffPosition]):
    list_display = ["user", "court", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "court"]


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin[CaseCategory]):
    list_display = ["code", "name_ru", "proceeding_type", "specialisation", "complexity", "is_active"]
    list_filter = ["proceeding_type", "specialisation", "is_active"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    raw_id_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: CaseCategory, form: Any, change: bool) -> None:  # noqa: FBT001
        before = terms_of(CaseCategory.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is not None:
            actor = request.user if isinstance(request.user, User) else None
            record_category_change(category=obj, before=before, actor=actor, reason=str(_("changed in the admin")))


@admin.register(CaseCategoryChange)
class CaseCategoryChangeAdmin(RecordedChangeAdmin):
    """The journal of case categories' distribution terms: read-only."""

    list_display = ["category", "recorded_at", "recorded_by", "reason"]
    raw_id_fields = ["category"]
