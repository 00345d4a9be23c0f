"""The public copy of a judicial act: its depersonalised text and the spans that were masked (over the
signed text), the facets it is searched by, and where it stands (a candidate waiting for a reviewer,
published, withdrawn, or closed by law and never published); the journal of every step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from torelik.acts.models import Act
from torelik.courts.models import CaseCategory, Court, Region
from torelik.identity.models import Language


class PublicationStatus(models.TextChoices):
    CANDIDATE = "candidate", _("waiting for review")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED = "closed", _("not published by law")


class PublishedAct(models.Model):
    act = models.OneToOneField(Act, on_delete=models.PROTECT, related_name="publication")
    # The act's public id: the stable address of the act on the public site and in the open API.
    public_id = models.UUIDField(_("public id"), unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.CANDIDATE
    )
    closed_basis = models.CharField(_("legal basis of closing"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    proceeding_type = models.CharField(_("proceeding type"), max_length=25)
    instance = models.CharField(_("instance"), max_length=10)
    kind = models.CharField(_("kind"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)
    case_number = models.CharField(_("case number"), max_length=40)
    decided_on = models.DateField(_("date of the act"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    # The signed text (the source of the spans' offsets) — never shown to the public.
    source_text = models.TextField(editable=False)
    spans = models.JSONField(default=list, blank=True)
    # The public text and its lower-cased copy with the court's and category's names, for search.
    text = models.TextField(_("depersonalised text"))
    search_text = models.TextField(editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [
            # Date order with its tie-breaker: a page of 20 reads 20 rows, keyset pages too (ADR 0072).
            models.Index(fields=["status", "-decided_on", "-id"], name="pubact_status_date_id"),
            models.Index(fields=["status", "court"], name="pubact_status_court"),
            models.Index(fields=["status", "category"], name="pubact_status_category"),
        ]
        verbose_name = _("published act")
        verbose_name_plural = _("published acts")

    def __str__(self) -> str:
        return f"{self.case_number} {self.kind} {self.status}"


class PublicationEventKind(models.TextChoices):
    PREPARED = "prepared", _("prepared for review")
    CLOSED = "closed", _("closed by law")
    MASK_ADDED = "mask_added", _("mask added")
    MASK_REMOVED = "mask_removed", _("mask removed")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested")
    CORRECTION_ANSWERED = "correction_answered", _("correction request answered")


class PublicationEvent(models.Model):
    """The journal of publication: never changed."""

    published_act = models.ForeignKey(PublishedAct, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=PublicationEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")

    def __str__(self) -> str:
        return f"{self.published_act_id} {self.kind}"


class CorrectionOutcome(models.TextChoices):
    CORRECTED = "corrected", _("corrected: the masking was fixed")
    REFUSED = "refused", pgettext_lazy("correction request", "refused")
    WITHDRAWN = "withdrawn", _("the act was withdrawn from the public site")


class CorrectionRequest(models.Model):
    """A visitor's request to correct a published act (a name left unmasked, say), answered by the
    court's reviewer within the term."""

    published_act = models.ForeignKey(PublishedAct, on_delete=models.PROTECT, related_name="corrections")
    message = models.TextField(_("what should be corrected"))
    contact = models.CharField(_("how to reach you"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"))
    answer_by = models.DateField(_("answer by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # The requester's address of the request's page (no account needed): a secret, not the id.
    token = models.CharField(max_length=43, blank=True, db_index=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CorrectionOutcome.choices, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["answer_by", "id"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")

    def __str__(self) -> str:
        return f"{self.published_act_id} {self.received_at:%Y-%m-%d}"


class ExportFile(models.Model):
    """One month of the open data (ADR 0073): the JSON-lines file of the month's public acts, written by
    the workers' task into the archive's file store once the month is over, rewritten when an act of it
    is published, corrected or withdrawn later, removed when none is public any more."""

    month = models.CharField(_("month"), max_length=7, unique=True)
    stored = models.ForeignKey("archive.StoredFile", on_delete=models.PROTECT, related_name="+")
    lines = models.PositiveIntegerField(_("lines"))
    size = models.BigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("open-data file")
        verbose_name_plural = _("open-data files")

    def __str__(self) -> str:
        return f"{self.month} {self.lines}"
