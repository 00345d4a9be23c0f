"""The progress of a national data set being generated (`torelik generate-national`): one row per run,
advanced in the same transaction as each chunk it writes, so an interrupted run resumes where it stopped."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GenerationRun(models.Model):
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cases = models.PositiveIntegerField(_("cases wanted"))
    years = models.PositiveSmallIntegerField(_("years"))
    seed = models.BigIntegerField(_("seed"))
    chunk_size = models.PositiveIntegerField(_("cases per chunk"))
    # A run is written by `parts` processes at once, each over its own share of the courts (so their
    # number series never meet); one row per part.
    part = models.PositiveSmallIntegerField(_("part"), default=0)
    parts = models.PositiveSmallIntegerField(_("parts"), default=1)
    chunks_done = models.PositiveIntegerField(_("chunks written"), default=0)
    cases_done = models.PositiveIntegerField(_("cases written"), default=0)
    # The period the cases are registered over (it ends at the moment the run started).
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("national data set run")
        verbose_name_plural = _("national data set runs")

    def __str__(self) -> str:
        return f"{self.cases_done}/{self.cases} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def chunks(self) -> int:
        return -(-self.cases // self.chunk_size)
