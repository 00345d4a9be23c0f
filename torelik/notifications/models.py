"""The outbox: every SMS and e-mail Torelik sends is a `Message` row written in the transaction of its cause."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.models import BaseModel
from torelik.courts.models import Court


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    # Handed to the gateway, its answer not yet recorded: never handed again automatically (ADR 0025).
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class Template(models.TextChoices):
    HEARING_SUMMONS = "hearing_summons", _("called to a hearing")
    DOCUMENT_RECEIVED = "document_received", _("document received")
    CLAIM_FILED_AGAINST_YOU = "claim_filed_against_you", _("claim filed against you")
    FILING_REGISTERED = "filing_registered", _("your filing registered")
    TERM_REMINDER = "term_reminder", _("term reminder")
    CONFIRMATION_CODE = "confirmation_code", _("confirmation code")
    HELPLINE_ANSWER = "helpline_answer", _("answer of the courts' helpline")


class Message(BaseModel):
    """One message to one recipient through one channel. `cause` is the idempotency key of whoever
    enqueued it (`subpoena:<uuid>`): the same cause twice is the same message."""

    recipient_phone = models.CharField(_("phone"), max_length=16, blank=True)
    recipient_email = models.EmailField(_("e-mail"), blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=2)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    template = models.CharField(_("template"), max_length=30, choices=Template.choices)
    payload = models.JSONField(_("payload"), default=dict)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=9, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    provider_id = models.CharField(_("provider id"), max_length=100, blank=True)
    segments = models.PositiveSmallIntegerField(_("segments"), default=0)
    cost = models.DecimalField(_("cost, tenge"), max_digits=10, decimal_places=2, default=0)
    cause = models.CharField(_("cause"), max_length=200, unique=True)
    # No index of its own: the composite indexes below lead with the court.
    court = models.ForeignKey(
        Court,
        verbose_name=_("court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fallback_of = models.ForeignKey(
        "self",
        verbose_name=_("fallback of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fallbacks",
    )
    resend_of = models.ForeignKey(
        "self",
        verbose_name=_("resend of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resends",
    )
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The domain's moment of queuing (clock.now(): frozen in tests, replayed in the demo); the period
    # of the statistics. created_at stays the row's wall-clock creation.
    queued_at = models.DateTimeField(_("queued at"))
    handed_at = models.DateTimeField(_("handed to the gateway at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            # The sender's "due" query and the hunt for interrupted sends read only these small slices.
            models.Index(fields=["next_attempt_at"], condition=Q(status="queued"), name="message_due"),
            models.Index(fields=["handed_at"], condition=Q(status="sending"), name="message_in_flight"),
            # Statistics per period (all courts) and per court and period; the staff page per court.
            models.Index(fields=["queued_at"], name="message_queued"),
            models.Index(fields=["court", "queued_at"], name="message_court_queued"),
            models.Index(fields=["court", "status", "queued_at"], name="message_court_status"),
            # The country's SMS of no court (login codes), which the statistics' counters leave out (ADR 0109).
            models.Index(
                fields=["sent_at"], condition=Q(court__isnull=True, channel="sms"), name="message_sms_no_court_sent"
            ),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.channel} {self.template} → {self.recipient_phone or self.recipient_email} ({self.status})"

    @property
    def recipient(self) -> str:
        return self.recipient_phone if self.channel == Channel.SMS else self.recipient_email
