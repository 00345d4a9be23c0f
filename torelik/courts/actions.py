"""Writes to the court registry: loading the registry and the classifier, recording absences and
changes of a judge's standing."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.courts.errors import CourtsError, CourtsErrorCode
from torelik.courts.models import (
    AbsenceKind,
    CaseCategory,
    CaseCategoryChange,
    Court,
    Courtroom,
    Judge,
    JudgeAbsence,
    JudgeSpecialisation,
    JudgeStandingChange,
    Region,
    Specialisation,
)
from torelik.courts.queries import CategoryTerms, Change, Standing, standing_of, terms_of
from torelik.courts.schemas import CaseCategoryFile, CourtRegistryFile
from torelik.identity.models import User


@dataclass(frozen=True)
class ImportSummary:
    regions: int = 0
    courts: int = 0
    courtrooms: int = 0
    categories: int = 0


def court_search_text(court: Court) -> str:
    """What the directory search matches: code and names in every language, case-folded
    (SQLite's LIKE folds only ASCII, so Cyrillic is folded here once)."""
    return " ".join([court.code, court.name_kk, court.name_ru, court.name_en]).casefold()


@transaction.atomic
def import_court_registry(*, data: Mapping[str, Any]) -> ImportSummary:
    """Create or update regions, courts and courtrooms from a registry file (idempotent)."""
    registry = CourtRegistryFile.model_validate(data)
    region_fields = ["kind", "name_kk", "name_ru", "name_en", "centre_kk", "centre_ru", "centre_en", "time_zone"]
    Region.objects.bulk_create(
        [Region(**record.model_dump()) for record in registry.regions],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=region_fields,
    )
    regions = {region.code: region for region in Region.objects.all()}
    known_codes = set(Court.objects.values_list("code", flat=True)) | {record.code for record in registry.courts}

    courts = []
    for record in registry.courts:
        if record.region is not None and record.region not in regions:
            raise CourtsError(
                CourtsErrorCode.UNKNOWN_REGION,
                _("Court %(court)s names an unknown region %(region)s."),
                params={"court": record.code, "region": record.region},
            )
        if record.parent is not None and record.parent not in known_codes:
            raise CourtsError(
                CourtsErrorCode.UNKNOWN_PARENT,
                _("Court %(court)s names an unknown higher court %(parent)s."),
                params={"court": record.code, "parent": record.parent},
            )
        court = Court(
            code=record.code,
            kind=record.kind,
            specialisation=record.specialisation or "",
            region=regions[record.region] if record.region else None,
            **record.model_dump(
                include={"name_kk", "name_ru", "name_en", "address_kk", "address_ru", "address_en", "phone", "email"}
            ),
        )
        court.search_text = court_search_text(court)
        courts.append(court)
    court_fields = [
        "kind", "specialisation", "region", "name_kk", "name_ru", "name_en",
        "address_kk", "address_ru", "address_en", "phone", "email", "search_text",
    ]  # fmt: skip
    Court.objects.bulk_create(courts, update_conflicts=True, unique_fields=["code"], update_fields=court_fields)

    by_code = {court.code: court for court in Court.objects.all()}
    parents = []
    for record in registry.courts:
        court = by_code[record.code]
        court.parent = by_code[record.parent] if record.parent else None
        parents.append(court)
    Court.objects.bulk_update(parents, ["parent"], batch_size=500)

    rooms = [
        Courtroom(court=by_code[record.code], **room.model_dump())
        for record in registry.courts
        for room in record.courtrooms
    ]
    Courtroom.objects.bulk_create(
        rooms,
        update_conflicts=True,
        unique_fields=["court", "number"],
        update_fields=["floor", "seats", "has_recording", "has_videoconference"],
        batch_size=500,
    )
    return ImportSummary(regions=len(registry.regions), courts=len(courts), courtrooms=len(rooms))


@transaction.atomic
def import_case_categories(*, data: Mapping[str, Any]) -> ImportSummary:
    """Create or update the case-category classifier from a data file (idempotent)."""
    classifier = CaseCategoryFile.model_validate(data)
    codes = set(CaseCategory.objects.values_list("code", flat=True)) | {r.code for r in classifier.categories}
    for record in classifier.categories:
        if record.parent is not None and record.parent not in codes:
            raise CourtsError(
                CourtsErrorCode.UNKNOWN_PARENT_CATEGORY,
                _("Category %(code)s names an unknown parent %(parent)s."),
                params={"code": record.code, "parent": record.parent},
            )
    fields = ["name_kk", "name_ru", "name_en", "proceeding_type", "specialisation", "complexity"]
    before = {category.code: (category, terms_of(category)) for category in CaseCategory.objects.all()}
    CaseCategory.objects.bulk_create(
        [CaseCategory(**record.model_dump(exclude={"parent"})) for record in classifier.categories],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=fields,
        batch_size=500,
    )
    by_code = {category.code: category for category in CaseCategory.objects.all()}
    children = []
    for record in classifier.categories:
        category = by_code[record.code]
        category.parent = by_code[record.parent] if record.parent else None
        children.append(category)
    CaseCategory.objects.bulk_update(children, ["parent"], batch_size=500)
    for record in classifier.categories:  # the terms as the file has just written them: no read back
        if record.code in before:
            category, terms = before[record.code]
            after = CategoryTerms(specialisation=record.specialisation, complexity=Decimal(record.complexity))
            _journal(
                CaseCategoryChange,
                before=terms,
                after=after,
                actor=None,
                reason="classifier data file",
                category=category,
            )
    return ImportSummary(categories=len(children))


@transaction.atomic
def record_judge_absence(
    *,
    judge: Judge,
    kind: AbsenceKind,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
    actor: User | None,
) -> JudgeAbsence:
    """Record an absence. The moment of recording comes from the clock and cannot be set by
    the caller: the distribution trusts only absences recorded well before a filing."""
    if ends_on < starts_on:
        raise CourtsError(
            CourtsErrorCode.ABSENCE_DATES,
            _("An absence cannot end before it starts."),
            fields={"ends_on": [str(_("An absence cannot end before it starts."))]},
        )
    return JudgeAbsence.objects.create(
        judge=judge,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        recorded_at=clock.now(),
        recorded_by=actor,
    )


class _Recordable(Protocol):
    def as_data(self) -> dict[str, Any]: ...


def _journal(
    model: type[Change], *, before: _Recordable, after: _Recordable, actor: User | None, reason: str, **owner: Any
) -> Change | None:
    """Journal a change from `before` to `after` (None when nothing changed) at the clock's moment,
    never one the caller chooses."""
    if after == before:
        return None
    return model._default_manager.create(
        recorded_at=clock.now(),
        recorded_by=actor,
        reason=reason,
        before=before.as_data(),
        after=after.as_data(),
        **owner,
    )


# --- What the distribution reads of a judge, and its journal ---------------------------------------


def record_standing_change(
    *, judge: Judge, before: Standing, actor: User | None, reason: str = ""
) -> JudgeStandingChange | None:
    """Journal the change from `before` to the judge's standing as saved now (None when nothing
    changed). The moment comes from the clock, never from the caller."""
    after = standing_of(Judge.objects.prefetch_related("specialisations").get(pk=judge.pk))
    return _journal(JudgeStandingChange, before=before, after=after, actor=actor, reason=reason, judge=judge)


@transaction.atomic
def change_judge_standing(
    *,
    judge: Judge,
    actor: User | None,
    reason: str,
    participation_rate: Decimal | None = None,
    is_active: bool | None = None,
    specialisations: Iterable[str] | None = None,
) -> JudgeStandingChange | None:
    """Change what the distribution reads of a judge, and journal it."""
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    before = standing_of(judge)
    if participation_rate is not None:
        if not Decimal("0") <= participation_rate <= Decimal("1"):
            raise CourtsError(
                CourtsErrorCode.PARTICIPATION_RATE,
                _("A participation rate is between 0 and 1."),
                fields={"participation_rate": [str(_("A participation rate is between 0 and 1."))]},
            )
        judge.participation_rate = participation_rate
    if is_active is not None:
        judge.is_active = is_active
    judge.save(update_fields=["participation_rate", "is_active", "updated_at"])
    if specialisations is not None:
        wanted = set(specialisations)
        JudgeSpecialisation.objects.filter(judge=judge).exclude(specialisation__in=wanted).delete()
        have = set(JudgeSpecialisation.objects.filter(judge=judge).values_list("specialisation", flat=True))
        JudgeSpecialisation.objects.bulk_create(
            [JudgeSpecialisation(judge=judge, specialisation=code) for code in sorted(wanted - have)]
        )
    return record_standing_change(judge=judge, before=before, actor=actor, reason=reason)


# --- What the distribution reads of a case category, and its journal ------------------------------


def record_category_change(
    *, category: CaseCategory, before: CategoryTerms, actor: User | None, reason: str = ""
) -> CaseCategoryChange | None:
    """Journal the change from `before` to the category's terms as saved now (None when nothing
    changed). The moment comes from the clock."""
    after = terms_of(CaseCategory.objects.get(pk=category.pk))
    return _journal(CaseCategoryChange, before=before, after=after, actor=actor, reason=reason, category=category)


@transaction.atomic
def change_category_terms(
    *,
    category: CaseCategory,
    actor: User | None,
    reason: str,
    specialisation: str | None = None,
    complexity: Decimal | None = None,
) -> CaseCategoryChange | None:
    """Change what the distribution reads of a category, and journal it (it counts a day later)."""
    category = CaseCategory.objects.select_for_update().get(pk=category.pk)
    before = terms_of(category)
    if specialisation is not None:
        if specialisation not in Specialisation.values:
            message = _("Unknown specialisation.")
            raise CourtsError(CourtsErrorCode.CATEGORY_TERMS, message, fields={"specialisation": [str(message)]})
        category.specialisation = specialisation
    if complexity is not None:
        if not Decimal("0.10") <= complexity <= Decimal("99.99"):
            message = _("A complexity coefficient is between 0.10 and 99.99.")
            raise CourtsError(CourtsErrorCode.CATEGORY_TERMS, message, fields={"complexity": [str(message)]})
        category.complexity = complexity
    category.save(update_fields=["specialisation", "complexity", "updated_at"])
    return record_category_change(category=category, before=before, actor=actor, reason=reason)
