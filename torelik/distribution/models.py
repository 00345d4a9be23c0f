"""Draws of the case distribution (their public protocols), recusals, and published beacon anchors."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.models import BaseModel
from torelik.courts.models import Court, Judge


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("inputs committed, waiting for the beacon")
    DRAWN = "drawn", _("drawn")
    WAITING = "waiting", _("waiting for eligible judges")


class DrawReason(models.TextChoices):
    FIRST = "first", _("first distribution")
    RECUSAL = "recusal", _("recusal of the judge")
    CONFLICT = "conflict_of_interest", _("conflict of interest")
    LONG_ABSENCE = "long_absence", _("long absence of the judge")
    JUDGE_LEFT = "judge_left", _("the judge left office")


class ExclusionReason(models.TextChoices):
    NOT_IN_OFFICE = "not_in_office", _("not in office")
    NOT_PARTICIPATING = "not_participating", _("takes no new cases")
    SPECIALISATION = "specialisation", _("other specialisation")
    ABSENCE = "absence", _("absent")
    RECUSAL = "recusal", _("recused")
    CONFLICT = "conflict_of_interest", _("conflict of interest")
    EARLIER_INVOLVEMENT = "earlier_involvement", _("earlier involvement in the case")
    REFILING = "refiling_rule", _("refiled claim goes to the first judge")


class Draw(BaseModel):
    """One distribution of a case: the committed snapshot, the beacon round, the seed and the
    result. Written once when committed and once when drawn; never edited afterwards."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="draws")
    attempt = models.PositiveSmallIntegerField(_("distribution number"), default=1)
    reason = models.CharField(_("reason"), max_length=25, choices=DrawReason.choices, default=DrawReason.FIRST)
    reason_note = models.CharField(_("grounds"), max_length=500, blank=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    status = models.CharField(_("status"), max_length=12, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    snapshot = models.JSONField(_("snapshot"))
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64)
    committed_at = models.DateTimeField(_("committed at"))
    beacon = models.CharField(_("beacon"), max_length=20)
    beacon_chain = models.CharField(_("beacon chain"), max_length=80)
    beacon_round = models.PositiveBigIntegerField(_("beacon round"))
    beacon_value = models.CharField(_("beacon value"), max_length=128, blank=True)
    beacon_proof = models.JSONField(_("beacon proof"), default=dict, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    picks = models.JSONField(_("picks"), default=list, blank=True)
    tie_break = models.BooleanField(_("tie broken by the stream"), default=False)
    probabilities = models.JSONField(_("probabilities"), default=dict, blank=True)
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), null=True, blank=True, on_delete=models.PROTECT, related_name="draws"
    )
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    # Hundredths of a complexity unit: what this case adds to the judge's load.
    weight = models.PositiveIntegerField(_("weight"))
    # Set when a later draw replaced this one (the case then no longer counts in this judge's load).
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["case_id", "attempt"]
        constraints = [models.UniqueConstraint(fields=["case", "attempt"], name="draw_attempt_unique")]
        indexes = [
            models.Index(fields=["judge", "drawn_at"], name="draw_judge_load"),
            models.Index(fields=["status", "beacon_round"], name="draw_pending"),
        ]
        verbose_name = _("distribution draw")
        verbose_name_plural = _("distribution draws")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.attempt} {self.status}"

    def protocol(self) -> dict[str, Any]:
        """The public record: everything needed to re-run the draw and check it."""
        return {
            "protocol": "torelik-distribution/1",
            "case": self.snapshot["case"]["number"],
            "attempt": self.attempt,
            "reason": self.reason,
            "status": self.status,
            "snapshot": self.snapshot,
            "snapshot_sha256": self.snapshot_sha256,
            "beacon": {
                "name": self.beacon,
                "chain": self.beacon_chain,
                "round": self.beacon_round,
                "value": self.beacon_value,
                "proof": self.beacon_proof,
            },
            "seed": self.seed,
            "probabilities": self.probabilities,
            "picks": self.picks,
            "tie_break": self.tie_break,
            "result": str(self.judge.public_id) if self.judge_id and self.judge else None,
            "drawn_at": self.drawn_at.isoformat() if self.drawn_at else None,
        }


class Recusal(BaseModel):
    """A judge's recusal from a case or a declared conflict of interest, recorded before a draw."""

    judge = models.ForeignKey(Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="recusals")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="recusals")
    kind = models.CharField(
        _("kind"),
        max_length=25,
        choices=[
            (ExclusionReason.RECUSAL.value, _("recusal")),
            (ExclusionReason.CONFLICT.value, _("conflict of interest")),
        ],
    )
    grounds = models.CharField(_("grounds"), max_length=500)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["judge", "case"], name="recusal_once_per_case")]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")

    def __str__(self) -> str:
        return f"{self.judge_id} / {self.case_id}: {self.kind}"


class BeaconAnchor(models.Model):
    """The anchor of a local-beacon segment, published before any round of it is used."""

    chain = models.CharField(_("beacon chain"), max_length=80)
    segment = models.PositiveBigIntegerField(_("segment"))
    first_round = models.PositiveBigIntegerField(_("first round"))
    last_round = models.PositiveBigIntegerField(_("last round"))
    anchor = models.CharField(_("anchor"), max_length=64)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "segment"], name="beacon_anchor_unique")]
        verbose_name = _("beacon anchor")
        verbose_name_plural = _("beacon anchors")

    def __str__(self) -> str:
        return f"{self.chain}:{self.segment}"


class DrawTally(models.Model):
    """What a court's drawn protocols of one day (UTC) gave one judge: the draws won, the weight of
    those not replaced since, and the sums of the chances and of their variances p(1-p). Moved in the
    transaction that draws (and the one that replaces a drawn draw), so that the monitoring reads a
    year as some 365 rows per judge, not a year of protocols; recounted from the protocols after a
    bulk load and by the migration (ADR 0116). The sums are floats: equal to the protocols' exact
    fractions to well within the figures' two decimals."""

    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    judge = models.ForeignKey(Judge, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    received = models.PositiveIntegerField(_("draws won"), default=0)
    weight = models.BigIntegerField(_("weight standing"), default=0)
    chance = models.FloatField(_("sum of chances"), default=0)
    variance = models.FloatField(_("sum of variances"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "day", "judge"], name="draw_tally_one_row_per_key")]
        verbose_name = _("draw tally")
        verbose_name_plural = _("draw tallies")

    def __str__(self) -> str:
        return f"{self.court_id} {self.day} {self.judge_id}: {self.received}"
