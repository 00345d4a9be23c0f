"""The outbox of events for partner agencies (ADR 0092): one row per event and partner, written in the
transaction of the journal entry that causes it, delivered in order per case by the workers, kept
after delivery as the record of what each partner was told; and the journal of what staff did with
the dead letters (retried, annulled) and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.models import BaseModel
from torelik.courts.models import Court


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be delivered")
    SENDING = "sending", _("being delivered")
    DELIVERED = "delivered", _("delivered")
    DEAD = "dead", _("dead letter")
    ANNULLED = "annulled", _("annulled")


# A stream holds back its later events while one of these is in it: the per-case order (ADR 0092).
BLOCKING = (DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DEAD)


class OutboundEvent(BaseModel):
    """An event for one partner. `public_id` is the event id the partner keeps to acknowledge it once;
    `stream` orders it: a case's events for a partner go one after another, each only once the one
    before was acknowledged (or annulled by staff)."""

    partner = models.CharField(_("partner"), max_length=40)
    event_type = models.CharField(_("event type"), max_length=60)
    schema_version = models.PositiveSmallIntegerField(_("schema version"))
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        Court, verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stream = models.CharField(max_length=80)
    occurred_at = models.DateTimeField(_("occurred at"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # While SENDING: the moment after which a worker that died with it no longer holds it.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The partner's receipt: its own number for the event, as it answered.
    receipt = models.CharField(_("partner's receipt"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["partner", "status", "next_attempt_at"], name="exchange_due"),
            models.Index(fields=["stream", "id"], name="exchange_stream"),
            models.Index(fields=["status", "court"], name="exchange_status_court"),
        ]
        verbose_name = _("event for a partner")
        verbose_name_plural = _("events for partners")
        permissions = [
            ("operate_national_exchange", _("Can handle every court's dead letters to partner agencies")),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.event_type} {self.public_id}"


class DecisionKind(models.TextChoices):
    RETRIED = "retried", _("sent again")
    ANNULLED = "annulled", _("annulled")


class DeadLetterDecision(models.Model):
    """What a member of staff did with a dead letter, and why: the journal of the exchange's operators."""

    event = models.ForeignKey(OutboundEvent, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=10, choices=DecisionKind.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    # The error that made it a dead letter, as it stood when staff decided.
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("decision about a dead letter")
        verbose_name_plural = _("decisions about dead letters")

    def __str__(self) -> str:
        return f"{self.event_id} {self.kind}"
