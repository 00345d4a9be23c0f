"""Building access: a court's entrances, who keeps them (entrance officers and the court's security),
staff badges, the court's ban list, the turnstiles and badge readers, and the visitor log itself (one
`Visit` per stay in the building, one `Passage` per event at an entrance, allowed or refused), with the
record of who read that log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.courts.models import Court


class Entrance(BaseModel):
    """A door of a court's building: the main entrance, the staff entrance, the escort entrance."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="entrances")
    code = models.SlugField(_("code"), max_length=20)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    for_visitors = models.BooleanField(_("visitors registered here"), default=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["court", "code"]
        constraints = [models.UniqueConstraint(fields=["court", "code"], name="entrance_code_unique_in_court")]
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")

    def __str__(self) -> str:
        return f"{self.court.code}/{self.code}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Duty(models.TextChoices):
    ENTRANCE = "entrance", _("entrance officer")
    SECURITY = "security", _("court security")


class Guard(BaseModel):
    """An account on duty at a court's building: registers visitors at its entrances, or keeps the court's
    security (who is in, the day's log, the ban list, the devices). Kept here, not as a staff role of
    `courts`, because it is a post at a building, not a procedural role (ADR 0104)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="guard_posts"
    )
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="guards")
    duty = models.CharField(_("duty"), max_length=10, choices=Duty.choices)
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("usual entrance"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "court", "duty"], name="guard_post_unique")]
        verbose_name = _("security post")
        verbose_name_plural = _("security posts")

    def __str__(self) -> str:
        return f"{self.user} · {self.court.code} · {self.duty}"


class Badge(BaseModel):
    """A staff member's badge, bound to their account; the badge reader sends its number."""

    number = models.CharField(_("badge number"), max_length=20, unique=True)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="badges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="badges"
    )
    is_active = models.BooleanField(_("valid"), default=True)

    class Meta:
        ordering = ["court", "number"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.number


class Ban(BaseModel):
    """A person the court's security keeps out of the building (by IIN, or by a foreign document), with the
    reason and the period; lifting it keeps the row."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="bans")
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    document_country = models.CharField(_("country of the document"), max_length=2, blank=True)
    full_name = models.CharField(_("full name"), max_length=300)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["court", "-starts_on"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")

    def __str__(self) -> str:
        return f"{self.court.code}: {self.full_name}"


class Device(BaseModel):
    """A turnstile or badge reader at an entrance; it authenticates with a bearer token of which only the
    SHA-256 is kept (`core.tokens`), and the court's security revokes it."""

    entrance = models.ForeignKey(Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="devices")
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last event"), null=True, blank=True)

    class Meta:
        ordering = ["entrance", "name"]
        verbose_name = _("turnstile or reader")
        verbose_name_plural = _("turnstiles and readers")

    def __str__(self) -> str:
        return self.name


class VisitKind(models.TextChoices):
    VISITOR = "visitor", _("visitor")
    STAFF = "staff", _("staff")


class Purpose(models.TextChoices):
    HEARING = "hearing", _("hearing")
    OFFICE = "office", _("court office")
    ARCHIVE = "archive", _("archive")
    RECEPTION = "reception", _("a judge's or the chairman's reception")
    OTHER = "other", _("other")


class VisitStatus(models.TextChoices):
    REGISTERED = "registered", _("pass issued, not in yet")
    HELD = "held", _("held: on the ban list, security called")
    INSIDE = "inside", _("in the building")
    LEFT = "left", _("left")
    REFUSED = "refused", _("refused entry")


class Visit(BaseModel):
    """One stay in the building: a visitor registered at an entrance (by IIN or a foreign document) with
    the hearing that brings them or the purpose they stated, and their pass; or a staff member's pass by
    badge. Entered and left are the moments of the passages."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    entrance = models.ForeignKey(Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    day = models.DateField(_("day"))
    iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    document_country = models.CharField(_("country of the document"), max_length=2, blank=True)
    full_name = models.CharField(_("full name"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    purpose_text = models.CharField(_("details"), max_length=300, blank=True)
    hearing = models.ForeignKey(
        "hearings.Hearing", verbose_name=_("hearing"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role in the hearing"), max_length=20, blank=True)
    courtroom = models.CharField(_("courtroom"), max_length=10, blank=True)
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    pass_hash = models.CharField(_("pass code hash"), max_length=64, blank=True, db_index=True)
    ban = models.ForeignKey(
        Ban, verbose_name=_("ban"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    status = models.CharField(_("status"), max_length=10, choices=VisitStatus.choices)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("time in"), null=True, blank=True)
    left_at = models.DateTimeField(_("time out"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["court", "day", "status"], name="visit_court_day_status"),
            models.Index(fields=["badge", "status"], name="visit_badge_status"),
        ]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.full_name} @ {self.court.code} {self.day}"


class Direction(models.TextChoices):
    IN = "in", _("in")
    OUT = "out", _("out")


class Passage(models.Model):
    """One event at an entrance, from a device or the entrance officer, allowed or refused with its reason:
    what is kept whatever the answer (nothing a device sends is lost)."""

    at = models.DateTimeField(_("moment"))
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    entrance = models.ForeignKey(Entrance, verbose_name=_("entrance"), on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(
        Device, verbose_name=_("device"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), null=True, blank=True, on_delete=models.PROTECT, related_name="passages"
    )
    credential = models.CharField(_("badge or pass"), max_length=40, blank=True)
    allowed = models.BooleanField(_("allowed"))
    reason = models.CharField(_("reason"), max_length=30, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["court", "at"], name="passage_court_at")]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.direction} {self.reason}"


class LogReading(models.Model):
    """Who looked at a court's visitor log, when and what: the log is personal data (ADR 0104)."""

    at = models.DateTimeField(_("moment"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    what = models.CharField(_("what"), max_length=20)
    query = models.CharField(_("query"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("reading of the visitor log")
        verbose_name_plural = _("readings of the visitor log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.what}"
