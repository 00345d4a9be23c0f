"""Personnel records: the staff table of each court (established posts and who holds them), a
person's career as an append-only journal, and absences with their documents. A judge's absence is
also a `courts.JudgeAbsence`, the row the distribution reads (ADR 0101)."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.core.fields import KindField
from torelik.core.models import BaseModel
from torelik.courts.models import AbsenceKind, Court, JudgeAbsence
from torelik.identity.models import Person


class PostKind(models.TextChoices):
    CHAIRMAN = "chairman", _("chairman of the court")
    JUDGE = "judge", _("judge")
    CHIEF_OF_STAFF = "chief_of_staff", _("head of the court's office")
    ASSISTANT = "assistant", _("judge's assistant")
    SECRETARY = "secretary", _("court session secretary")
    CLERK = "clerk", _("court office clerk")
    SPECIALIST = "specialist", _("specialist")


JUDICIAL_POSTS = frozenset({PostKind.CHAIRMAN, PostKind.JUDGE})


class Post(BaseModel):
    """One established post of a court's staff table: held by one person at a time, or vacant. The
    holder is kept here by the actions; how they came to hold it is in the career journal."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="posts")
    kind = models.CharField(_("position"), max_length=20, choices=PostKind.choices)
    number = models.PositiveSmallIntegerField(_("post number"))
    holder = models.OneToOneField(
        Person, verbose_name=_("held by"), null=True, blank=True, on_delete=models.PROTECT, related_name="post"
    )
    held_since = models.DateField(_("held since"), null=True, blank=True)
    # A judge's term of office (the Constitutional Law on the judicial system: judges of some courts are
    # appointed for a term); None for staff and for judges appointed without one.
    term_ends_on = models.DateField(_("term of office ends"), null=True, blank=True)

    class Meta:
        ordering = ["court", "kind", "number"]
        constraints = [models.UniqueConstraint(fields=["court", "kind", "number"], name="post_number_unique")]
        indexes = [models.Index(fields=["term_ends_on"], name="post_term_ends_idx")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.court.code} {self.kind} #{self.number}"

    @property
    def is_judicial(self) -> bool:
        return self.kind in JUDICIAL_POSTS


class CareerEntryKind(models.TextChoices):
    APPOINTMENT = "appointment", _("appointment")
    TRANSFER = "transfer", _("transfer")
    PROMOTION = "promotion", _("promotion")
    QUALIFICATION = "qualification_class", _("qualification class")
    DISCIPLINARY = "disciplinary", _("disciplinary decision")
    DISMISSAL = "dismissal", _("dismissal")
    ABSENCE = "absence", _("absence")


class Immutable(models.Model):
    """A row written once and never altered nor deleted (on PostgreSQL a trigger refuses it too)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"a {self._meta.verbose_name} is never altered")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"a {self._meta.verbose_name} is never deleted")


class CareerEntry(BaseModel, Immutable):
    """One line of a person's career: what was decided (by which decree), from when, in which court
    and post; who recorded it and when (the clock's moment, never the caller's)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="career")
    kind = KindField(_("kind"), max_length=25, choices=CareerEntryKind.choices)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(
        Post, verbose_name=_("post"), null=True, blank=True, on_delete=models.PROTECT, related_name="career"
    )
    effective_on = models.DateField(_("effective from"))
    decree_number = models.CharField(_("decree number"), max_length=60, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    term_ends_on = models.DateField(_("term of office ends"), null=True, blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)
    document = models.ForeignKey(
        StoredFile, verbose_name=_("document"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    absence = models.OneToOneField(
        "Absence", verbose_name=_("absence"), null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    recorded_at = models.DateTimeField(_("recorded at"), editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects: ClassVar[models.Manager["CareerEntry"]] = models.Manager()

    class Meta:
        ordering = ["person", "effective_on", "recorded_at", "id"]
        verbose_name = _("career entry")
        verbose_name_plural = _("career entries")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.effective_on}"


class Absence(BaseModel, Immutable):
    """A leave, sick leave, business trip or training of a person, with its document. For a judge,
    `judge_absence` is the row the distribution reads, written in the same transaction with the same
    dates and recording moment. `backdated`: it began before it was recorded, so draws already made
    in it stand (docs/distribution.md: an absence counts only if recorded a day before the filing)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="absences")
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    document = models.ForeignKey(
        StoredFile, verbose_name=_("document"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    judge_absence = models.OneToOneField(
        JudgeAbsence,
        verbose_name=_("absence as the distribution reads it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="personnel_record",
    )
    backdated = models.BooleanField(_("entered after the fact"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["person", "-starts_on"]
        indexes = [models.Index(fields=["court", "starts_on"], name="absence_court_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="personnel_absence_ends_after_start"
            )
        ]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.starts_on}–{self.ends_on}"
