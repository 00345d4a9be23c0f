"""Tables of the summons context: e-subpoenas with their secret codes and views, the SMS logins that
open a case's documents without an account, their openings, and the failed-code counter."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.archive.models import StoredFile
from torelik.cases.models import Case, Document, Party
from torelik.core.models import BaseModel
from torelik.courts.models import Court
from torelik.hearings.models import Hearing, HearingParticipant
from torelik.identity.models import Language, Person


class SubpoenaStatus(models.TextChoices):
    ISSUED = "issued", _("issued")
    VIEWED = "viewed", _("viewed by the addressee")
    REVOKED = "revoked", _("revoked")


class SubpoenaCounter(models.Model):
    """The last serial of subpoena numbers per court and year (gap-free, like case numbers)."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["court", "year"], name="subpoena_counter_unique")]

    def __str__(self) -> str:
        return f"{self.court_id}/{self.year}: {self.last}"


class Subpoena(BaseModel):
    """A summons of one participant to one hearing. Its facts are a snapshot taken when it was issued:
    a postponed hearing revokes it and the new hearing issues a new one."""

    # `CCCC-YY-S-NNNNNN`: court code, year, `S` for a subpoena, serial within court and year (ADR 0027).
    number = models.CharField(_("subpoena number"), max_length=24, unique=True)
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="subpoenas")
    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.PROTECT, related_name="subpoenas")
    participant = models.ForeignKey(
        HearingParticipant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subpoenas",
    )
    person = models.ForeignKey(Person, verbose_name=_("addressee"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KAZAKH)
    # Normalised E.164 (`+77011234567`), empty when the addressee has no mobile phone.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # HMAC-SHA256 of phone and code under the server's key (ADR 0028); the code itself is never kept.
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    # Printed in the QR code and under it: what a check of the subpoena needs besides its (sequential)
    # number, so that nobody learns of subpoenas by counting (ADR 0036).
    verify_code = models.CharField(_("verification code"), max_length=16, blank=True, default="")
    code_expires_at = models.DateTimeField(_("code valid until"))
    facts = models.JSONField(_("text of the subpoena"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=SubpoenaStatus.choices, default=SubpoenaStatus.ISSUED)
    issued_at = models.DateTimeField(_("issued at"))
    first_viewed_at = models.DateTimeField(_("first viewed at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason of revocation"), blank=True)
    # Public id of the outbox message that carried the code (notifications), if one was sent.
    message_id = models.CharField(_("message"), max_length=64, blank=True)
    # The channel it went by (a NoticeChannel value other than AUTO); empty on subpoenas issued before.
    channel = models.CharField(_("channel"), max_length=12, blank=True)
    pdf = models.ForeignKey(
        StoredFile, verbose_name=_("sealed PDF"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "id"]
        indexes = [
            models.Index(fields=["court", "issued_at"], name="subpoena_court_issued"),
            models.Index(fields=["hearing"], name="subpoena_hearing"),
        ]
        verbose_name = _("subpoena")
        verbose_name_plural = _("subpoenas")

    def __str__(self) -> str:
        return self.number


class SubpoenaView(models.Model):
    """One opening of a subpoena through the public page (phone and code)."""

    subpoena = models.ForeignKey(Subpoena, on_delete=models.CASCADE, related_name="views")
    at = models.DateTimeField(_("moment"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("view of a subpoena")
        verbose_name_plural = _("views of subpoenas")

    def __str__(self) -> str:
        return f"{self.subpoena_id} {self.at:%Y-%m-%d %H:%M}"


class DocumentAccess(BaseModel):
    """An SMS login (login + one-time password) that opens the documents of one case for one party
    for a limited period, without an account."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="sms_accesses")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(Court, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+")
    login = models.CharField(_("login"), max_length=16, unique=True)
    password_hash = models.CharField(_("password hash"), max_length=64)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KAZAKH)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("valid until"))
    first_used_at = models.DateTimeField(_("first used at"), null=True, blank=True)
    message_id = models.CharField(_("message"), max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_at", "id"]
        indexes = [models.Index(fields=["court", "issued_at"], name="docaccess_court_issued")]
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="docaccess_case_party_unique")]
        verbose_name = _("document access by SMS login")
        verbose_name_plural = _("document accesses by SMS login")

    def __str__(self) -> str:
        return f"{self.login} ({self.case_id})"


class DocumentOpening(models.Model):
    """One opening of a document (or of the list, with `document` empty) through an SMS login."""

    access = models.ForeignKey(DocumentAccess, on_delete=models.CASCADE, related_name="openings")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("moment"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("document opening")
        verbose_name_plural = _("document openings")

    def __str__(self) -> str:
        return f"{self.access_id} {self.document_id} {self.at:%Y-%m-%d %H:%M}"


class CodeAttempt(models.Model):
    """A failed try of a code or password for one key (a phone number or a login): the lockout
    counts these in the database so that it holds across processes."""

    key = models.CharField(_("phone or login"), max_length=40)
    at = models.DateTimeField(_("moment"))

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="code_attempt_key_at")]
        verbose_name = _("failed code attempt")
        verbose_name_plural = _("failed code attempts")

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"


class CodeThrottle(models.Model):
    """One row per key, locked while a try is checked so that parallel tries are counted in turn."""

    key = models.CharField(_("phone or login"), max_length=40, unique=True)

    def __str__(self) -> str:
        return self.key


class NoticeChannel(models.TextChoices):
    """How the court tells a party of a hearing (ADR 0070). AUTO: the rules (SMS to a phone, otherwise a
    hybrid letter)."""

    AUTO = "auto", _("as the rules choose")
    SMS = "sms", _("SMS")
    ESUBPOENA = "esubpoena", _("electronic subpoena by e-mail")
    REGISTERED = "registered", _("registered letter")
    HYBRID = "hybrid", _("hybrid letter")


class NoticeChoice(models.Model):
    """The channel the court chose for one party of a case; the party's later subpoenas go that way."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=NoticeChannel.choices)
    chosen_at = models.DateTimeField(_("chosen at"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "party"], name="notice_choice_unique")]
        verbose_name = _("channel chosen for a party's notices")
        verbose_name_plural = _("channels chosen for parties' notices")

    def __str__(self) -> str:
        return f"{self.party_id}: {self.channel}"
