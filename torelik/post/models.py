"""Letters of the courts: S10 barcode ranges per court, registered and hybrid letters with their
address, enclosures, price and one status history each, and the hybrid batches sent to the operator."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case, Party
from torelik.core.models import BaseModel
from torelik.courts.models import Court


class BarcodeSeries(models.Model):
    """The country's counter of S10 serials of one service (e.g. `RR`): ranges are cut from it for courts."""

    service = models.CharField(_("service letters"), max_length=2, unique=True)
    next_serial = models.PositiveIntegerField(_("next serial"), default=1)

    class Meta:
        verbose_name = _("barcode series")
        verbose_name_plural = _("barcode series")

    def __str__(self) -> str:
        return f"{self.service} {self.next_serial}"


class BarcodeRange(models.Model):
    """Serials `first`..`last` of a service given to one court; `next` is the next one to put on a letter."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("service letters"), max_length=2)
    first = models.PositiveIntegerField(_("first serial"))
    last = models.PositiveIntegerField(_("last serial"))
    next = models.PositiveIntegerField(_("next serial"))
    allocated_at = models.DateTimeField(_("allocated at"))

    class Meta:
        ordering = ["court", "service", "first"]
        constraints = [models.UniqueConstraint(fields=["service", "first"], name="post_range_service_first")]
        indexes = [models.Index(fields=["court", "service", "next"], name="post_range_court")]
        verbose_name = _("barcode range")
        verbose_name_plural = _("barcode ranges")

    def __str__(self) -> str:
        return f"{self.service} {self.first}–{self.last}"


class LetterKind(models.TextChoices):
    REGISTERED = "registered", _("registered letter")
    HYBRID = "hybrid", _("hybrid letter")


class LetterStatus(models.TextChoices):
    ADDRESS_INCOMPLETE = "address_incomplete", _("address without a postal index")
    PREPARED = "prepared", _("prepared")
    BATCHED = "batched", _("sent to the operator")
    REJECTED = "rejected", _("not accepted by the operator")
    ACCEPTED = "accepted", _("accepted by the post")
    IN_TRANSIT = "in_transit", _("on its way")
    ARRIVED = "arrived", _("at the post office")
    DELIVERED = "delivered", _("delivered")
    REFUSED = "refused", _("refused by the addressee")
    RETURNED = "returned", _("returned to the court")
    UNDELIVERABLE = "undeliverable", _("undeliverable")
    CANCELLED = "cancelled", _("cancelled before it was handed over")


FINAL_STATUSES = frozenset(
    {LetterStatus.DELIVERED, LetterStatus.REFUSED, LetterStatus.RETURNED, LetterStatus.UNDELIVERABLE}
)
# What the office must act upon: the letter did not reach its addressee, or never left.
NEEDS_ACTION = frozenset(
    {LetterStatus.ADDRESS_INCOMPLETE, LetterStatus.REJECTED, LetterStatus.RETURNED, LetterStatus.UNDELIVERABLE}
)


class Letter(BaseModel):
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("party"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(_("cause"), max_length=80, null=True, blank=True, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=LetterKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=LetterStatus.choices)
    status_at = models.DateTimeField(_("status since"))
    recipient_name = models.CharField(_("recipient"), max_length=300)
    language = models.CharField(_("language"), max_length=2, default="kk")
    postal_index = models.CharField(_("postal index"), max_length=6, blank=True)
    address = models.JSONField(_("address"), default=dict)
    address_text = models.CharField(_("address as given"), max_length=300, blank=True)
    enclosures = models.JSONField(_("enclosures"), default=list)
    sheets = models.PositiveSmallIntegerField(_("sheets"), default=1)
    weight_class = models.CharField(_("weight class"), max_length=5)
    cost = models.PositiveIntegerField(_("cost, tenge"))
    rate_date = models.DateField(_("rate in force from"))
    barcode = models.CharField(_("barcode"), max_length=13, null=True, blank=True, unique=True)
    barcode_conforming = models.BooleanField(_("barcode check digit conforms"), default=True)
    batch = models.ForeignKey(
        "Batch", verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )
    handed_over_on = models.DateField(_("handed to the post on"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted by the post at"), null=True, blank=True)
    final_at = models.DateTimeField(_("final status at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    next_poll_at = models.DateTimeField(_("next tracking poll"), null=True, blank=True)
    poll_failures = models.PositiveSmallIntegerField(_("failed polls in a row"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # What it carries was revoked (a subpoena of a hearing postponed): a letter not yet handed over is
    # CANCELLED; one already with the post keeps its way and is marked withdrawn.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason of withdrawal"), max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["court", "status"], name="post_letter_court_status"),
            models.Index(fields=["next_poll_at"], name="post_letter_next_poll"),
            models.Index(fields=["court", "created_at"], name="post_letter_court_created"),
        ]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return f"{self.barcode or self.public_id} {self.status}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class EventSource(models.TextChoices):
    COURT = "court", _("court")
    OPERATOR = "operator", _("operator's acknowledgement")
    POLL = "poll", _("tracking service")
    WEBHOOK = "webhook", _("operator's notice")


class LetterEvent(models.Model):
    """One step of a letter's way as the post reported it (or the court's own step): the letter's history."""

    letter = models.ForeignKey(Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(_("event id"), max_length=80)
    status = models.CharField(_("status"), max_length=20, choices=LetterStatus.choices)
    code = models.CharField(_("operator's code"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    at = models.DateTimeField(_("moment"))
    source = models.CharField(_("source"), max_length=10, choices=EventSource.choices)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["letter", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["letter", "external_id"], name="post_event_once")]
        verbose_name = _("letter event")
        verbose_name_plural = _("letter events")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class UnmatchedReport(models.Model):
    """A tracking report that matched no letter (an unknown barcode) or an unknown code: kept, and shown
    to the office, never dropped."""

    barcode = models.CharField(_("barcode"), max_length=20)
    code = models.CharField(_("operator's code"), max_length=40)
    event_id = models.CharField(_("event id"), max_length=80)
    at = models.DateTimeField(_("moment"))
    source = models.CharField(_("source"), max_length=10, choices=EventSource.choices)
    problem = models.CharField(_("problem"), max_length=20)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("unmatched tracking report")
        verbose_name_plural = _("unmatched tracking reports")

    def __str__(self) -> str:
        return f"{self.barcode} {self.code}"


class BatchStatus(models.TextChoices):
    ASSEMBLED = "assembled", _("assembled")
    DELIVERED = "delivered", _("acknowledged by the operator")
    FAILED = "failed", _("delivery failed")


class Batch(BaseModel):
    """Hybrid letters of one court sent together: a ZIP of one A4 PDF per letter, and a signed manifest."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.ASSEMBLED)
    size = models.PositiveIntegerField(_("letters"))
    package_sha256 = models.CharField(_("package SHA-256"), max_length=64)
    manifest = models.JSONField(_("manifest"), default=dict)
    signature = models.CharField(_("manifest signature"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    accepted = models.PositiveIntegerField(_("accepted items"), default=0)
    rejected = models.PositiveIntegerField(_("rejected items"), default=0)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("hybrid mail batch")
        verbose_name_plural = _("hybrid mail batches")

    def __str__(self) -> str:
        return self.number


def enclosure(kind: str, title: str, reference: str = "", text: list[str] | None = None) -> dict[str, Any]:
    """An enclosure as a letter keeps it: its kind (`subpoena`, `act`, `claim_copy`), title, reference
    (a subpoena's number) and the text printed with the letter."""
    return {"kind": kind, "title": title, "reference": reference, "text": list(text or [])}
