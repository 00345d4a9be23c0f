"""Courts, courtrooms, judges, staff positions and the case-category classifier."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.identity.models import Person


class RegionKind(models.TextChoices):
    OBLAST = "oblast", _("region")
    CITY = "city", _("city of republican significance")


class Region(BaseModel):
    """One of the 17 regions or 3 cities of republican significance; a regional court each."""

    code = models.CharField(_("code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")])
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    centre_kk = models.CharField(_("administrative centre (Kazakh)"), max_length=100)
    centre_ru = models.CharField(_("administrative centre (Russian)"), max_length=100)
    centre_en = models.CharField(_("administrative centre (English)"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Almaty")

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def centre(self) -> str:
        return localized(self, "centre")


class CourtKind(models.TextChoices):
    SUPREME = "supreme", _("Supreme Court")
    CASSATION = "cassation", _("cassation court")
    REGIONAL = "regional", _("regional court")
    SPECIALISED = "specialised", _("specialised inter-district court")
    DISTRICT = "district", _("district (city) court")


class Specialisation(models.TextChoices):
    """What kind of cases a specialised court or a judge hears."""

    CIVIL = "civil", _("civil cases")
    CRIMINAL = "criminal", _("criminal cases")
    ADMINISTRATIVE = "administrative", _("administrative cases")
    ADMINISTRATIVE_OFFENCE = "administrative_offence", _("administrative offences")
    ECONOMIC = "economic", _("economic cases")
    JUVENILE = "juvenile", _("juvenile cases")
    INVESTIGATIVE = "investigative", _("investigating judge")


class Court(BaseModel):
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A court code has 4 digits."))],
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CourtKind.choices, db_index=True)
    specialisation = models.CharField(_("specialisation"), max_length=25, choices=Specialisation.choices, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courts",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("higher court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lower_courts",
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    address_kk = models.CharField(_("address (Kazakh)"), max_length=300, blank=True)
    address_ru = models.CharField(_("address (Russian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Code and names in every language, case-folded: SQLite's LIKE folds only ASCII letters.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def address(self) -> str:
        return localized(self, "address")


class Courtroom(BaseModel):
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.CASCADE, related_name="courtrooms")
    number = models.CharField(_("number"), max_length=10)
    floor = models.SmallIntegerField(_("floor"), default=1)
    seats = models.PositiveSmallIntegerField(_("seats"), default=20)
    has_recording = models.BooleanField(_("audio-video recording equipped"), default=False)
    has_videoconference = models.BooleanField(_("videoconference equipped"), default=False)

    class Meta:
        ordering = ["court", "number"]
        constraints = [models.UniqueConstraint(fields=["court", "number"], name="courtroom_number_unique_in_court")]
        verbose_name = _("courtroom")
        verbose_name_plural = _("courtrooms")

    def __str__(self) -> str:
        return f"{self.court.code} / {self.number}"


class Judge(BaseModel):
    person = models.OneToOneField(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="judge")
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="judges")
    # A chairman or a judge with other duties takes a reduced share of new cases.
    participation_rate = models.DecimalField(
        _("participation rate"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("1.00"))],
    )
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    is_active = models.BooleanField(_("in office"), default=True)

    class Meta:
        ordering = ["court", "person__surname", "person__given_name"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self) -> str:
        return self.person.full_name


class JudgeSpecialisation(models.Model):
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="specialisations")
    specialisation = models.CharField(_("specialisation"), max_length=25, choices=Specialisation.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "specialisation"], name="judge_specialisation_unique")]
        verbose_name = _("specialisation of a judge")
        verbose_name_plural = _("specialisations of judges")

    def __str__(self) -> str:
        return f"{self.judge_id}: {self.specialisation}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("annual leave")
    SICK = "sick", _("sick leave")
    TRAINING = "training", _("training")
    SECONDMENT = "secondment", _("secondment")
    OTHER = "other", _("other")


class RecordedChange(models.Model):
    """A journaled change of what the distribution reads (the values before and after, who, when,
    why). Append-only: the distribution counts a change only once it was recorded a day before a
    filing, as it does an absence, so that no one can steer a case by a change made just before it."""

    recorded_at = models.DateTimeField(_("recorded at"), editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, editable=False
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"a recorded {self._meta.verbose_name} is never altered")
        super().save(*args, **kwargs)


class JudgeStandingChange(RecordedChange):
    """A change of what the distribution reads of a judge: participation rate, in office,
    specialisations, the court."""

    judge = models.ForeignKey(Judge, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="standing_changes")

    class Meta:
        ordering = ["judge", "recorded_at", "id"]
        verbose_name = _("change of a judge's standing")
        verbose_name_plural = _("changes of judges' standing")

    def __str__(self) -> str:
        return f"{self.judge_id} @ {self.recorded_at:%Y-%m-%d %H:%M}"


class CaseCategoryChange(RecordedChange):
    """A change of what the distribution reads of a case category: its specialisation, which picks
    the pool of judges, and its complexity, which weighs the judges' load."""

    category = models.ForeignKey(
        "CaseCategory", verbose_name=_("case category"), on_delete=models.CASCADE, related_name="changes"
    )

    class Meta:
        ordering = ["category", "recorded_at", "id"]
        verbose_name = _("change of a case category")
        verbose_name_plural = _("changes of case categories")

    def __str__(self) -> str:
        return f"{self.category_id} @ {self.recorded_at:%Y-%m-%d %H:%M}"


class JudgeAbsence(BaseModel):
    """A period when a judge takes no new cases. `recorded_at` is when Torelik learnt of it:
    the distribution counts only absences recorded well before a filing."""

    judge = models.ForeignKey(Judge, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=12, choices=AbsenceKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, editable=False
    )

    class Meta:
        ordering = ["judge", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]
        verbose_name = _("absence of a judge")
        verbose_name_plural = _("absences of judges")

    def __str__(self) -> str:
        return f"{self.judge}: {self.starts_on}–{self.ends_on}"


class StaffRole(models.TextChoices):
    JUDGE = "judge", _("judge")
    CHAIRMAN = "chairman", _("court chairman")
    CLERK = "clerk", _("court office clerk")
    SECRETARY = "secretary", _("court session secretary")
    ASSISTANT = "assistant", _("judge's assistant")
    ANALYST = "analyst", _("analyst")
    PSC_OPERATOR = "psc_operator", _("Public Service Centre operator")
    CALL_CENTRE_OPERATOR = "call_centre_operator", _("call-centre operator")
    ADMINISTRATOR = "administrator", _("administrator")
    PERSONNEL_OFFICER = "personnel_officer", _("personnel officer")


class StaffPosition(BaseModel):
    """What an account may do, and in which court."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="positions"
    )
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("role"), max_length=25, choices=StaffRole.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # A secretary or an assistant works for one judge of the court: they act in that judge's cases.
    judge = models.ForeignKey(
        Judge,
        verbose_name=_("works for the judge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    class Meta:
        ordering = ["court", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "court", "role"], name="staff_position_unique")]
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.court.code})"


class ProceedingType(models.TextChoices):
    CIVIL = "civil", _("civil")
    CRIMINAL = "criminal", _("criminal")
    ADMINISTRATIVE = "administrative", _("administrative")
    ADMINISTRATIVE_OFFENCE = "administrative_offence", _("administrative offence")


class CaseCategory(BaseModel):
    """A node of the hierarchical case-category classifier (18-digit codes)."""

    code = models.CharField(
        _("code"),
        max_length=18,
        unique=True,
        validators=[RegexValidator(r"^\d{18}$", _("A category code has 18 digits."))],
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=400)
    name_ru = models.CharField(_("name (Russian)"), max_length=400)
    name_en = models.CharField(_("name (English)"), max_length=400)
    proceeding_type = models.CharField(_("proceeding type"), max_length=25, choices=ProceedingType.choices)
    specialisation = models.CharField(_("specialisation"), max_length=25, choices=Specialisation.choices)
    complexity = models.DecimalField(
        _("complexity coefficient"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.10"))],
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")
