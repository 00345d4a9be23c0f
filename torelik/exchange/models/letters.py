"""The court's journal of correspondence with state bodies (the document exchange, in the manner of
ESEDO): outgoing and incoming letters, each with the court's registration number and date, the other
side's number and date, its signature (detached CMS over the letter's canonical JSON), its
acknowledgement, and the case it concerns (ADR 0097)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.models import BaseModel
from torelik.exchange.models.clients import PartnerClient


class LetterDirection(models.TextChoices):
    OUTGOING = "outgoing", _("outgoing")
    INCOMING = "incoming", _("incoming")


class LetterKind(models.TextChoices):
    CASE_FILE_REQUEST = "case_file_request", _("request for a case file")
    ANSWER = "answer", _("answer")
    LETTER = "letter", _("letter")


class LetterStatus(models.TextChoices):
    SENDING = "sending", _("signed, being sent")
    ACKNOWLEDGED = "acknowledged", _("acknowledged by the receiver")
    FAILED = "failed", _("not delivered")
    REGISTERED = "registered", _("registered")


class Letter(BaseModel):
    court = models.ForeignKey("courts.Court", verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=10, choices=LetterDirection.choices)
    kind = models.CharField(_("kind of letter"), max_length=20, choices=LetterKind.choices)
    number = models.CharField(_("registration number"), max_length=40)
    registered_on = models.DateField(_("registration date"))
    registered_at = models.DateTimeField(_("registered at"))
    counterpart = models.ForeignKey(
        PartnerClient, verbose_name=_("state body"), on_delete=models.PROTECT, related_name="letters"
    )
    counterpart_number = models.CharField(_("the other side's number"), max_length=60, blank=True)
    counterpart_date = models.DateField(_("the other side's date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    in_reply_to = models.ForeignKey(
        "self", verbose_name=_("in reply to"), null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    content = models.BinaryField(_("signed content"))
    signature = models.BinaryField(_("signature (CMS)"), blank=True)
    signer = models.CharField(_("signed by"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=LetterStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="exchange_letter_court_number"),
        ]
        indexes = [models.Index(fields=["court", "-registered_at"], name="exchange_letter_court_at")]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return self.number


class LetterCounter(models.Model):
    """The last registration number of letters of a court in a year (one series for both directions)."""

    court = models.ForeignKey("courts.Court", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "year"], name="exchange_letter_counter_unique")]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}: {self.last}"
