"""The operations context's own rows: each export of the audit review (ADR 0083)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditExport(models.Model):
    """Somebody exported the audit review as CSV: who, when, with which filters, how many rows.
    Its Meta carries the permission of the Supreme Court's security officer (the review of every court)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("moment"))
    filters = models.JSONField(_("filters"), default=dict)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"], name="audit_export_at")]
        permissions = [("review_audit_nationally", _("review the audit of every court (security officer)"))]
        verbose_name = _("export of the audit review")
        verbose_name_plural = _("exports of the audit review")

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M} ({self.rows})"
