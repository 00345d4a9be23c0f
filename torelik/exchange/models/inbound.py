"""Inbound messages as received: one row per client and message id, with the answer given, so that a
message sent again is answered the same and applied once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.exchange.models.clients import PartnerClient


class InboundMessage(models.Model):
    client = models.ForeignKey(PartnerClient, on_delete=models.PROTECT, related_name="messages")
    message_id = models.CharField(_("message id"), max_length=100)
    topic = models.CharField(_("topic"), max_length=60)
    schema_version = models.CharField(_("schema version"), max_length=10)
    body_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received at"))
    case_number = models.CharField(_("case"), max_length=40, blank=True)
    status_code = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "message_id"], name="exchange_inbound_client_message"),
        ]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.client_id}:{self.message_id}"
