"""Apostilles of court documents: a person's request (an act in force of their own case, or its writ),
its state fee paid through the payment gateway, and the court office's answer: the apostille issued
(numbered per court and year, a sealed PDF with the original attached) or refused with a reason; an
issued apostille may later be revoked. The public register shows only what the certificate shows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import Act
from torelik.archive.models import StoredFile
from torelik.cases.models import Channel
from torelik.core.models import BaseModel
from torelik.courts.models import Court
from torelik.identity.models import Person


class DocumentKind(models.TextChoices):
    ACT = "act", _("judicial act in force")
    WRIT = "writ", _("writ of execution")


class ApostilleStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment of the state fee")
    QUEUED = "queued", _("paid, with the court office")
    ISSUED = "issued", _("issued")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")


class ApostilleCounter(models.Model):
    """The last serial of apostille numbers per court and year (gap-free, like subpoena numbers)."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "year"], name="apostille_counter_unique")]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}: {self.last}"


class ApostilleRequest(BaseModel):
    act = models.ForeignKey(Act, verbose_name=_("judicial act"), on_delete=models.PROTECT, related_name="+")
    document_kind = models.CharField(_("document"), max_length=4, choices=DocumentKind.choices)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(Person, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    country = models.CharField(_("country of use"), max_length=2)
    status = models.CharField(
        _("status"), max_length=16, choices=ApostilleStatus.choices, default=ApostilleStatus.AWAITING_PAYMENT
    )
    # The state fee and its payment through the gateway (`order_id` is what the gateway knows).
    fee_amount = models.DecimalField(_("state fee, tenge"), max_digits=12, decimal_places=2)
    fee_basis = models.CharField(_("legal basis of the fee"), max_length=500)
    order_id = models.CharField(max_length=64, unique=True)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # The certificate: `CCCC-YY-A-NNNNNN` (court code, year, `A`, serial within court and year).
    number = models.CharField(_("apostille number"), max_length=24, unique=True, null=True, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The certificate's fields, as certified (a snapshot: later changes of names do not change it).
    signed_by = models.CharField(_("has been signed by"), max_length=300, blank=True)
    capacity = models.CharField(_("acting in the capacity of"), max_length=300, blank=True)
    seal_of = models.CharField(_("bears the seal/stamp of"), max_length=300, blank=True)
    certified_at = models.CharField(_("certified at"), max_length=200, blank=True)
    certified_by = models.CharField(_("certified by"), max_length=300, blank=True)
    officer = models.CharField(_("signature"), max_length=300, blank=True)
    pdf = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    original_sha256 = models.CharField(_("SHA-256 of the original document"), max_length=64, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["court", "status"], name="apostille_court_status"),
            models.Index(fields=["applicant", "status"], name="apostille_applicant_status"),
        ]
        verbose_name = _("apostille request")
        verbose_name_plural = _("apostille requests")

    def __str__(self) -> str:
        return f"{self.number or self.public_id} {self.status}"


class CallbackRefusal(models.TextChoices):
    """Why a payment notice was refused (the API answers all of them with `PAYMENT_REFUSED` or a 404)."""

    MALFORMED = "malformed", _("not in the expected format")
    BAD_SIGNATURE = "bad_signature", _("not signed by the payment gateway")
    NOT_FOUND = "not_found", _("no such payment")
    WRONG_AMOUNT = "wrong_amount", _("wrong amount")


class PaymentCallback(models.Model):
    """Every notice the payment gateway sent about an apostille's fee, accepted or refused (the log of
    refusals is the audit), as filing keeps those of a filing's fee."""

    gateway = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    body = models.TextField()
    accepted = models.BooleanField(default=False)
    refusal = models.CharField(max_length=20, choices=CallbackRefusal.choices, blank=True)
    request = models.ForeignKey(
        ApostilleRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="callbacks"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.received_at:%Y-%m-%d %H:%M:%S} {self.refusal or 'ok'}"


class PscConsent(models.Model):
    """The citizen's consent to a request a PSC operator makes for them: a code sent by SMS to the
    phone on the citizen's record, read back to the operator (as for filings at a PSC, ADR 0044)."""

    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    act = models.ForeignKey(Act, on_delete=models.PROTECT, related_name="+")
    document_kind = models.CharField(max_length=4, choices=DocumentKind.choices)
    country = models.CharField(max_length=2)
    code_digest = models.CharField(max_length=128)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"PSC consent {self.pk} {self.applicant_id}"
