"""Tables of the filing context: e-filings (drafts to registered), their attachments and status trail,
state-fee payments through a gateway, representations, API clients of the e-government portal and
the confirmation codes of Public Service Centre filings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from torelik.archive.models import StoredFile
from torelik.cases.models import Case, Channel
from torelik.core.models import BaseModel
from torelik.courts.models import CaseCategory, Court


class FilingKind(models.TextChoices):
    CLAIM = "claim", _("statement of claim")
    COURT_ORDER = "court_order", _("application for a court order")
    SPECIAL = "special", _("statement in special proceedings")
    RESPONSE = "response", _("response to a claim")
    APPEAL_RESPONSE = "appeal_response", _("response to an appeal")
    PETITION = "petition", _("petition (motion)")
    PRIVATE_COMPLAINT = "private_complaint", _("private complaint")
    APPEAL = "appeal", pgettext_lazy("filing kind", "appeal")
    CASSATION = "cassation", _("cassation petition")
    REVIEW = "review", _("application for review on newly discovered circumstances")


class FilerType(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    LEGAL_ENTITY = "legal_entity", _("legal entity")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    REGISTERED = "registered", _("registered")
    ASSIGNED = "assigned", _("judge assigned")
    ACCEPTED = "accepted", _("accepted for proceedings")
    RETURNED = "returned", _("returned")
    REFUSED = "refused", _("refused")
    LEFT_WITHOUT_MOTION = "left_without_motion", _("left without motion")
    JOINED = "joined", _("added to the case")


class Filing(BaseModel):
    """One filing from its draft to the case it became (or joined). The draft keeps everything."""

    kind = models.CharField(_("kind"), max_length=20, choices=FilingKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT, db_index=True
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.JUDICIAL_OFFICE)
    # Who files: the account (a citizen, a lawyer, a PSC operator, or none for the e-government API)
    # and the person (IIN) in whose name the filing is made.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="filings"
    )
    filer_iin = models.CharField(_("filer's IIN"), max_length=12)
    filer_bin = models.CharField(_("organisation's BIN"), max_length=12, blank=True)
    on_behalf_of_iin = models.CharField(_("client's IIN"), max_length=12, blank=True)
    api_client = models.ForeignKey("ApiClient", null=True, blank=True, on_delete=models.PROTECT, related_name="filings")
    court = models.ForeignKey(Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT)
    category = models.ForeignKey(
        CaseCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    target_case = models.ForeignKey(
        Case,
        verbose_name=_("case it concerns"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.TextField(_("subject"), blank=True)
    claim_amount = models.DecimalField(_("claim amount, tenge"), max_digits=16, decimal_places=2, null=True, blank=True)
    # The form data that has no column: the text of the filing, the parties, the grounds...
    data = models.JSONField(_("form data"), default=dict, blank=True)
    fee_amount = models.DecimalField(_("state fee, tenge"), max_digits=16, decimal_places=2, null=True, blank=True)
    fee_basis = models.CharField(_("basis of the fee"), max_length=300, blank=True)
    fee_exemption = models.CharField(_("fee exemption"), max_length=40, blank=True)
    # What was signed, and the signature.
    manifest = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    signer_iin = models.CharField(_("signed by (IIN)"), max_length=12, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="filings"
    )
    psc_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["filer_iin", "status"], name="filing_filer_status"),
            models.Index(fields=["channel", "submitted_at"], name="filing_channel_submitted"),
        ]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")

    # The whole status trail, when the request has just read or written it (`queries.hold_trail`):
    # `queries.trail` then answers it without reading it again. Not a column.
    held_trail: "list[FilingEvent] | None" = None

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == FilingStatus.DRAFT


class AttachmentRole(models.TextChoices):
    FILING = "filing", _("the filing itself")
    EVIDENCE = "evidence", _("evidence")
    POWER_OF_ATTORNEY = "power_of_attorney", _("power of attorney")
    FEE_PETITION = "fee_petition", _("petition for exemption from or deferral of the state fee")
    OTHER = "other", _("other")


class Attachment(BaseModel):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments")
    role = models.CharField(_("role"), max_length=20, choices=AttachmentRole.choices, default=AttachmentRole.EVIDENCE)
    title = models.CharField(_("title"), max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveIntegerField(_("pages"), default=1)

    class Meta:
        ordering = ["filing", "created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class FilingEvent(models.Model):
    """The status trail the filer sees."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="trail")
    status = models.CharField(_("status"), max_length=20, choices=FilingStatus.choices)
    at = models.DateTimeField(_("moment"))
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["filing", "at", "id"]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.status}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("awaiting payment")
    PAID = "paid", _("paid")
    DECLINED = "declined", _("declined")


class Payment(BaseModel):
    """A state-fee payment of a filing through a gateway; `order_id` is what the gateway knows."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(_("gateway"), max_length=20)
    order_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(_("amount, tenge"), max_digits=16, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    receipt_number = models.CharField(_("receipt number"), max_length=40, null=True, blank=True, unique=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("state fee payment")
        verbose_name_plural = _("state fee payments")

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} {self.status}"


class PaymentCallback(models.Model):
    """Every callback a gateway sent, accepted or refused (the log of refusals is the audit)."""

    gateway = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    body = models.TextField()
    accepted = models.BooleanField(default=False)
    refusal = models.CharField(max_length=40, blank=True)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks")

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.received_at:%Y-%m-%d %H:%M:%S} {self.refusal or 'ok'}"


class SandboxCharge(models.Model):
    """The sandbox gateway's own book (what a bank would hold): one row per card payment."""

    order_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    callback_url = models.CharField(max_length=500)
    return_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    receipt_number = models.CharField(max_length=40, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    created_at = models.DateTimeField()
    callback_delivered = models.BooleanField(default=False)
    callback_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"sandbox {self.order_id} {self.status}"


class Representation(BaseModel):
    """A lawyer or representative (IIN) acts for a client (IIN or BIN) under a power of attorney."""

    representative_iin = models.CharField(_("representative's IIN"), max_length=12, db_index=True)
    client_iin = models.CharField(_("client's IIN"), max_length=12, blank=True, db_index=True)
    client_bin = models.CharField(_("client's BIN"), max_length=12, blank=True)
    power_of_attorney = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(client_iin="", client_bin=""), name="representation_has_client"),
        ]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")

    def __str__(self) -> str:
        return f"{self.representative_iin} -> {self.client_iin or self.client_bin}"


class ApiClient(BaseModel):
    """A partner system (the e-government portal) filing through the API with a Bearer token; only
    the token's SHA-256 is kept."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.EGOV)
    token_sha256 = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return self.name


class PscConfirmation(models.Model):
    """A code sent to the citizen for whom a PSC operator files; the citizen reads it back."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="psc_confirmations")
    code_sha256 = models.CharField(max_length=64)
    phone = models.CharField(max_length=20, blank=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(max_length=20, default="screen")

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.sent_at:%H:%M:%S}"


class PhoneConfirmation(models.Model):
    """A code sent to a mobile number a person gives as their own in the Judicial Office; read back,
    it puts the number on their record (`Person.phone`), where codes for their consent go."""

    person = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="phone_confirmations", verbose_name=_("person")
    )
    phone = models.CharField(_("phone"), max_length=20)
    code_sha256 = models.CharField(max_length=64)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("confirmation of a phone number")
        verbose_name_plural = _("confirmations of phone numbers")

    def __str__(self) -> str:
        return f"{self.person_id} {self.sent_at:%Y-%m-%d %H:%M:%S}"
