"""Partner clients: each partner system (the enforcement committee, the correctional system, the post,
the e-government portal, a state body of the document exchange) has its own credential, the scopes it
may write to, the way it signs its messages, and a journal of every call it made (ADR 0096)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.models import BaseModel


class PartnerKind(models.TextChoices):
    """Every kind of partner, the one list: the clients that write to us (inbound) and the agencies we
    deliver events to (`exchange.partners.PARTNERS`, outbound) take their codes and names from here."""

    ENFORCEMENT = "enforcement", _("enforcement committee")
    CORRECTIONS = "corrections", _("correctional system")
    POST = "post", _("postal operator")
    EGOV = "egov", _("e-government portal")
    STATE_BODY = "state_body", _("state body (document exchange)")
    LEGAL_STATISTICS = "legal_statistics", _("committee on legal statistics")


class Scope(models.TextChoices):
    """What a client may write; each inbound topic needs its scope."""

    EXECUTIONS = "enforcement.executions", _("reports on the execution of writs")
    CUSTODY = "corrections.custody", _("arrivals at and releases from institutions")
    POST_STATUSES = "post.statuses", _("statuses of court letters")
    LETTERS = "esedo.letters", _("letters of the document exchange")


# The scopes a new client of each kind is given unless the administrator chooses others.
DEFAULT_SCOPES: dict[str, list[str]] = {
    PartnerKind.ENFORCEMENT: [Scope.EXECUTIONS],
    PartnerKind.CORRECTIONS: [Scope.CUSTODY],
    PartnerKind.POST: [Scope.POST_STATUSES],
    PartnerKind.EGOV: [],
    PartnerKind.STATE_BODY: [Scope.LETTERS],
    PartnerKind.LEGAL_STATISTICS: [],  # it only receives the periodic reports
}


class SigningScheme(models.TextChoices):
    HMAC = "hmac", _("HMAC-SHA256 with the client's secret")
    JWS = "jws", _("JWS (EdDSA) with the client's public key")


class PartnerClient(BaseModel):
    """A partner system's credential: a Bearer token (only its SHA-256 kept), the scopes it may write to,
    and how its messages are signed: HMAC under a secret derived from the server's key and this client's
    salt (shown once, never stored), or a JWS with the Ed25519 key whose public half is kept here. A
    state body of the document exchange also has its BIN (its letters' signatures must carry it) and the
    address its letters are delivered to."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind of partner"), max_length=20, choices=PartnerKind.choices)
    scopes = models.JSONField(_("scopes"), default=list)
    token_sha256 = models.CharField(max_length=64, unique=True)
    signing = models.CharField(_("signing"), max_length=10, choices=SigningScheme.choices, default=SigningScheme.HMAC)
    hmac_salt = models.CharField(max_length=64, blank=True)
    public_key_pem = models.TextField(_("public key (PEM)"), blank=True)
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    endpoint_url = models.URLField(_("address for letters"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("reason of revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_partner_clients", "Can create and revoke partner clients and read their journal")]
        verbose_name = _("partner client")
        verbose_name_plural = _("partner clients")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class CallOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    REPEATED = "repeated", _("repeated: answered as before")
    REFUSED = "refused", _("refused")


class ClientCall(models.Model):
    """One call of a partner client, accepted or refused: the journal of what each client did."""

    client = models.ForeignKey(PartnerClient, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(_("moment"))
    topic = models.CharField(_("topic"), max_length=60)
    message_id = models.CharField(_("message id"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CallOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"))
    code = models.CharField(_("code"), max_length=60, blank=True)
    case_number = models.CharField(_("case"), max_length=40, blank=True)
    body_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["client", "-at"], name="exchange_call_client_at")]
        verbose_name = _("call of a partner client")
        verbose_name_plural = _("calls of partner clients")

    def __str__(self) -> str:
        return f"{self.client_id} {self.topic} {self.outcome}"
