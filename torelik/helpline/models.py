"""The helpline's tables: the categories of calls (data, with their answer terms), the calls and requests
themselves (by phone, web form or e-mail), and the one-time codes that confirm a caller's phone."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core.i18n import localized
from torelik.core.models import BaseModel
from torelik.courts.models import Court
from torelik.identity.models import Language, Person


class Routing(models.TextChoices):
    NONE = "none", _("answered by the helpline")
    COURT = "court", _("to the chairman of the court concerned")
    SUPREME = "supreme", _("to the Supreme Court's department")
    CORRUPTION = "corruption", _("to the designated anti-corruption officers")


class Category(models.Model):
    """A category of the seed's list (`data/categories.json`), extensible in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    routing = models.CharField(_("routing"), max_length=12, choices=Routing.choices, default=Routing.COURT)
    answer_days = models.PositiveSmallIntegerField(_("answer term, working days"), default=15)
    legal_basis_kk = models.CharField(_("legal basis (Kazakh)"), max_length=300, blank=True)
    legal_basis_ru = models.CharField(_("legal basis (Russian)"), max_length=300, blank=True)
    legal_basis_en = models.CharField(_("legal basis (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("helpline category")
        verbose_name_plural = _("helpline categories")
        permissions = [("handle_corruption_reports", _("May read and answer reports of corruption"))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def legal_basis(self) -> str:
        return localized(self, "legal_basis")


class CallChannel(models.TextChoices):
    LANDLINE = "landline", _("1401, free from a landline")
    MOBILE = "mobile", _("paid number from a mobile")
    WEB_FORM = "web_form", _("web form")
    EMAIL = "email", _("e-mail")


class CallStatus(models.TextChoices):
    ANSWERED_AT_ONCE = "answered_at_once", _("answered during the call")
    ROUTED = "routed", _("waiting for the answer")
    ANSWERED = "answered", _("answered")
    CALL_BACK = "call_back", _("answered; the caller is to be called back")
    CLOSED = "closed", _("closed")


class CallCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Call(BaseModel):
    """One call or request: who, through what, about what and which court or case, where it went and
    how it was answered. Numbered `1401-YY-NNNNNN` per year."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operator"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=10, choices=CallChannel.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KAZAKH)
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_iin = models.CharField(_("caller's IIN"), max_length=12, blank=True, db_index=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=16, blank=True, db_index=True)
    caller_email = models.EmailField(_("caller's e-mail"), blank=True)
    identified = models.BooleanField(_("identified as a party by an SMS code"), default=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    court = models.ForeignKey(
        Court, verbose_name=_("court concerned"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case concerned"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"))
    journal_consent = models.BooleanField(
        _("the caller agrees to the case's journal noting the request"), default=False
    )
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.ROUTED)
    routing = models.CharField(_("routing"), max_length=12, choices=Routing.choices, default=Routing.NONE)
    routed_to = models.ForeignKey(
        Court, verbose_name=_("routed to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("answer due on"), null=True, blank=True, db_index=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    message_id = models.CharField(_("message"), max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["routed_to", "status", "due_on"], name="helpline_call_queue"),
            models.Index(fields=["status", "due_on"], name="helpline_call_overdue"),
        ]
        verbose_name = _("helpline call")
        verbose_name_plural = _("helpline calls")

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == CallStatus.ROUTED


class CodePurpose(models.TextChoices):
    IDENTIFY = "identify", _("a party identifies themselves to the operator")
    WEB_FORM = "web_form", _("a web form's phone confirmed")


class CallerCode(models.Model):
    """A one-time code sent by SMS: to a party's phone on record (the operator identifies the caller),
    or to the phone given on the web form. Only its keyed hash is kept (ADR 0028)."""

    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(_("phone"), max_length=16)
    code_hash = models.CharField(_("code hash"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    draft = models.JSONField(_("request waiting for the code"), default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["phone", "sent_at"], name="helpline_code_phone"),
            models.Index(fields=["ip_address", "sent_at"], name="helpline_code_ip"),
        ]
        verbose_name = _("caller's code")
        verbose_name_plural = _("callers' codes")

    def __str__(self) -> str:
        return f"{self.purpose} {self.sent_at:%Y-%m-%d %H:%M}"
