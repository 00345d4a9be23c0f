"""The statistics' counters: sums that the national data would make slow to count on every page,
kept by the journal's handler in the transaction of each entry (`handlers.py`) and rebuilt from the
journal by `torelik rebuild-statistics`, which proves the two agree. What each counter counts is
written once, in `tally.py`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.courts.models import CaseCategory, Court


class DailyTally(models.Model):
    """How many journal entries of one kind a court recorded on one day (in the country's zone), by
    proceeding type and one more key (the channel of a registration, the final status of a letter…);
    `amount` a sum beside the count where the figure needs one (days from registration to disposal)."""

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
                fields=["figure", "day", "court", "proceeding_type", "key"], name="reports_daily_tally_key"
            )
        ]
        indexes = [models.Index(fields=["figure", "day"], name="reports_tally_figure_day")]
        verbose_name = _("daily counter")
        verbose_name_plural = _("daily counters")

    def __str__(self) -> str:
        return f"{self.figure} {self.day} {self.court_id} {self.proceeding_type} {self.key}: {self.count}"


class PendingCohort(models.Model):
    """How many cases registered in one month (`month`: its first day) are pending today, per court,
    proceeding type and category: +1 at registration, −1 when disposed, +1 when reopened. The age
    bands of the backlog are sums of cohorts."""

    month = models.DateField(_("month of registration"))
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    proceeding_type = models.CharField(_("proceeding type"), max_length=25)
    category = models.ForeignKey(CaseCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    pending = models.BigIntegerField(_("pending"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "court", "proceeding_type", "category"], name="reports_pending_cohort_key"
            )
        ]
        verbose_name = _("pending cohort")
        verbose_name_plural = _("pending cohorts")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.court_id} {self.proceeding_type} {self.category_id}: {self.pending}"
