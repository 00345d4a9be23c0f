"""Judicial acts of a case: the act, its draft versions (the four parts kept apart), the signed PDF
with who signed it and when, its announcement, its delivery to each party, appeals against it and
its entry into force."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.cases.models import Case, Document, Party
from torelik.core.models import BaseModel
from torelik.identity.models import Language


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")
    ANNOUNCED = "announced", _("announced")
    APPEALED = "appealed", _("under appeal")
    IN_FORCE = "in_force", _("in force")
    QUASHED = "quashed", _("quashed")


class ReviewOutcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    CHANGED = "changed", _("changed")
    QUASHED = "quashed", _("quashed")
    SENT_BACK = "sent_back", _("sent back for a new hearing")


class Act(BaseModel):
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="acts")
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(_("status"), max_length=12, choices=ActStatus.choices, default=ActStatus.DRAFT)
    # None: an act of the demo's history.
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The act of a lower court this act reviews (appeal, cassation), and what it decided about it.
    reviews = models.ForeignKey(
        "self", verbose_name=_("reviews"), null=True, blank=True, on_delete=models.PROTECT, related_name="reviewed_by"
    )
    outcome = models.CharField(_("outcome of the review"), max_length=12, choices=ReviewOutcome.choices, blank=True)
    # The PDF prepared for the judge's signature (signature space reserved), waiting for the CMS.
    pending_pdf = models.BinaryField(null=True, blank=True, editable=False)
    pending_range = models.JSONField(default=list, blank=True, editable=False)
    pending_version = models.PositiveSmallIntegerField(null=True, blank=True)
    # The signed act.
    signed_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    signed_version = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signer_iin = models.CharField(_("signer's IIN"), max_length=12, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=300, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=64, blank=True)
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=300, blank=True)
    timestamp_at = models.DateTimeField(_("time-stamped at"), null=True, blank=True)
    timestamp_authority = models.CharField(max_length=300, blank=True)
    verify_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The procedure after signing.
    final_form_on = models.DateField(_("in final form on"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    appeal_term_end = models.DateField(_("last day of the appeal term"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    in_force_basis = models.JSONField(default=dict, blank=True)
    writ = models.ForeignKey(
        Document, verbose_name=_("writ of execution"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "created_at"]
        indexes = [
            models.Index(fields=["status", "appeal_term_end"], name="act_status_term_end"),
        ]
        verbose_name = _("judicial act")
        verbose_name_plural = _("judicial acts")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.status}"


class ActVersion(models.Model):
    """A draft of the act; never changed, a revision is a new version."""

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    introductory = models.TextField(_("introductory part"))
    descriptive = models.TextField(_("descriptive part"))
    reasoning = models.TextField(_("reasoning part"))
    operative = models.TextField(_("operative part"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["act", "number"]
        constraints = [models.UniqueConstraint(fields=["act", "number"], name="act_version_unique")]
        verbose_name = _("version of a judicial act")
        verbose_name_plural = _("versions of judicial acts")

    def __str__(self) -> str:
        return f"{self.act_id} v{self.number}"


class ServiceChannel(models.TextChoices):
    OFFICE = "office", _("Judicial Office")
    HEARING = "hearing", _("handed over at the hearing")
    POST = "post", _("by post")


class ActService(models.Model):
    """The act delivered to one party (the day counts for terms that run from service)."""

    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=ServiceChannel.choices)
    served_at = models.DateTimeField(_("delivered at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["act", "party"], name="act_service_unique")]
        verbose_name = _("delivery of a judicial act")
        verbose_name_plural = _("deliveries of judicial acts")

    def __str__(self) -> str:
        return f"{self.act_id} → {self.party_id}"


class AppealStatus(models.TextChoices):
    AWAITING_RESPONSES = "awaiting", _("awaiting the term for responses")
    SENT = "sent", _("sent to the higher court")


class Appeal(BaseModel):
    """An appeal against an act, lodged at the court that made it (through the Judicial Office or at
    its office). The other parties may respond until `responses_until`; once that term and the appeal
    term have run, the first-instance court sends the case to the higher court: a linked case there
    (`appeal_case`) with its own number and judge, carrying the whole electronic file (ADR 0068)."""

    # None: the case had no announced act on record (a decision of the time before acts were kept).
    act = models.ForeignKey(Act, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+")
    higher_court = models.ForeignKey(
        "courts.Court", verbose_name=_("higher court"), on_delete=models.PROTECT, related_name="+"
    )
    appellant = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appellant_iin = models.CharField(max_length=12, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("filed on"))
    late = models.BooleanField(default=False)
    responses_until = models.DateField(_("responses may be filed until"))
    ready_on = models.DateField(_("may be sent from"))
    term_basis = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.AWAITING_RESPONSES
    )
    appeal_case = models.ForeignKey(
        Case,
        verbose_name=_("case at the higher court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["ready_on", "created_at"]
        indexes = [models.Index(fields=["status", "ready_on"], name="appeal_status_ready")]
        verbose_name = _("appeal against a judicial act")
        verbose_name_plural = _("appeals against judicial acts")

    def __str__(self) -> str:
        return f"{self.act_id} appeal {self.status}"
