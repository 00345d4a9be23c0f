"""The internal portal's tables: the practice library (generalisations of judicial practice, normative
resolutions of the Supreme Court, reference acts, each linked to the case categories it concerns) and the
announcements to staff by court and role, with their attachments in the archive's file store and their
read receipts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from torelik.archive.models import StoredFile
from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.courts.models import CaseCategory, Court


class ItemKind(models.TextChoices):
    RESOLUTION = "resolution", _("normative resolution of the Supreme Court")
    GENERALISATION = "generalisation", _("generalisation of judicial practice")
    REFERENCE = "reference", _("reference act")


class ItemStatus(models.TextChoices):
    IN_FORCE = "in_force", pgettext_lazy("a library item's status", "in force")
    LOST_FORCE = "lost_force", pgettext_lazy("a library item's status", "lost force")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("internal: court staff only")
    PUBLIC = "public", _("public")


class PracticeItem(BaseModel):
    """One item of the practice library. A draft is seen by the library's editors only."""

    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    number = models.CharField(_("number"), max_length=60)
    adopted_on = models.DateField(_("date"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500)
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.IN_FORCE)
    lost_force_on = models.DateField(_("lost force on"), null=True, blank=True)
    # No index on the kind or the visibility: a few values each, and an index on them would lead the
    # planner away from the full-text GIN index (ADR 0106).
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    is_draft = models.BooleanField(_("draft"), default=False)
    # Where the item's number, date and title come from (a public register's address), or a note that
    # they are the demo's own.
    source = models.CharField(_("source"), max_length=300, blank=True)
    categories = models.ManyToManyField(
        CaseCategory, verbose_name=_("case categories"), related_name="practice_items", blank=True
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("edited by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Number and both titles and texts, case-folded: what SQLite searches; PostgreSQL's generated
    # `search_tsv` (migration 0002) is computed from it.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-adopted_on", "-id"]
        indexes = [models.Index(fields=["-adopted_on", "-id"], name="portal_item_date")]
        permissions = [("edit_library", _("May add and edit the practice library"))]
        verbose_name = _("practice library item")
        verbose_name_plural = _("practice library items")

    def __str__(self) -> str:
        return f"{self.number} {self.title_ru}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")


class Scope(models.TextChoices):
    COURT = "court", _("the staff of this court")
    LOWER = "lower", _("this court and the courts below it")
    ALL = "all", _("every court")


class Announcement(BaseModel):
    """An announcement or document for staff: from a court, to its own staff, to it and the courts below
    it (a regional court to its district courts), or — from the Supreme Court — to every court; to every
    role or to the roles named in `roles` (",judge,clerk," — a string that SQLite and PostgreSQL search
    alike). Not published yet (`published_at` empty): a draft, seen by its court's editors only."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="announcements")
    scope = models.CharField(_("to whom"), max_length=8, choices=Scope.choices, default=Scope.COURT)
    roles = models.CharField(_("roles"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    asks_receipt = models.BooleanField(_("read receipt asked"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_announcements", _("May publish announcements of their court"))]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title

    @property
    def role_list(self) -> list[str]:
        return [role for role in self.roles.split(",") if role]


class Attachment(BaseModel):
    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="attachments"
    )
    stored = models.ForeignKey(StoredFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class ReadReceipt(models.Model):
    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE)
    read_at = models.DateTimeField(_("read at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="portal_receipt_once")]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")

    def __str__(self) -> str:
        return f"{self.announcement_id} {self.user_id}"
