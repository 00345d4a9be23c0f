"""The statistics' counters: sums that the national data would make slow to count on every page,
kept by the journal's handlers in the transaction of each entry (`handlers.py`) and rebuilt from the
journal by `torelik rebuild-statistics`, which proves the two agree. What each counter counts is
written once, in `tally.py`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.courts.models import Court

# The figure of the rows that hold the backlog: per month of registration (`day`, its first day) and
# category (`key`, the category's id), how many of the cases registered then are pending today.
PENDING = "pending"


class Counter(models.Model):
    """How many journal entries of one kind a court recorded on one day (in the country's zone), by
    proceeding type and one more key (the channel of a registration, the final status of a letter…);
    `amount` a sum beside the count where the figure needs one (days from registration to disposal).
    The rows of the figure `pending` are the backlog's cohorts (see PENDING)."""

    figure = models.CharField(_("figure"), max_length=30)
    day = models.DateField(_("day"))
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    proceeding_type = models.CharField(_("proceeding type"), max_length=25)
    key = models.CharField(_("key"), max_length=30, blank=True, default="")
    count = models.BigIntegerField(_("count"), default=0)
    amount = models.BigIntegerField(_("amount"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "day", "court", "proceeding_type", "key"], name="reports_counter_key"
            )
        ]
        indexes = [models.Index(fields=["figure", "day"], name="reports_counter_figure_day")]
        verbose_name = _("statistics counter")
        verbose_name_plural = _("statistics counters")

    def __str__(self) -> str:
        return f"{self.figure} {self.day} {self.court_id} {self.proceeding_type} {self.key}: {self.count}"


class CommitteeReturn(models.Model):
    """A periodic report to the Committee on Legal Statistics and Special Accounts as it was signed
    (`committee.py`): the canonical JSON and its detached CMS signature by the filing court's seal, made
    once per period and place by the workers; `handed_over_at` when the exchange took it for delivery."""

    period = models.CharField(_("period"), max_length=10)
    level = models.CharField(_("level"), max_length=10)
    place_code = models.CharField(_("place"), max_length=20, blank=True, default="")
    content = models.BinaryField(_("signed content"))
    signature = models.BinaryField(_("signature"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    made_at = models.DateTimeField(_("made at"))
    handed_over_at = models.DateTimeField(_("handed to the exchange at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "level", "place_code"], name="reports_committee_return_once")
        ]
        verbose_name = _("report to the legal statistics committee")
        verbose_name_plural = _("reports to the legal statistics committee")

    def __str__(self) -> str:
        return f"{self.period} {self.level} {self.place_code}"
