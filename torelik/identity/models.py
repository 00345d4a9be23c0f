"""People, organisations and user accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from torelik.core.fields import BINField, IINField
from torelik.core.identifiers import IIN, Sex
from torelik.core.models import BaseModel


class Language(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Person(BaseModel):
    """A natural person, known by IIN."""

    iin = IINField(_("IIN"), unique=True)
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )

    class Meta:
        ordering = ["surname", "given_name", "patronymic"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """`Ахметов А.Б.`: how court documents and timetables name a judge."""
        initials = "".join(f"{part[0]}." for part in (self.given_name, self.patronymic) if part)
        return f"{self.surname} {initials}".strip()

    @property
    def sex(self) -> Sex:
        return IIN(self.iin).sex


class Organisation(BaseModel):
    """A legal entity, its branch or representative office, known by BIN."""

    bin = BINField(_("BIN"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KAZAKH
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.bin})"


class AccountKind(models.TextChoices):
    STAFF = "staff", _("court staff")
    CITIZEN = "citizen", _("citizen or organisation")


class User(AbstractUser):
    """An account. Staff log in with a password; citizens with their digital signature.

    Every account except the technical superuser is tied to a person.
    """

    person = models.OneToOneField(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    kind = models.CharField(_("kind of account"), max_length=10, choices=AccountKind.choices, default=AccountKind.STAFF)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")


class LoginChallenge(models.Model):
    """A one-time random text the user signs with the AUTH key to log in (valid for about two minutes)."""

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        User, verbose_name=_("used by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("login challenge")
        verbose_name_plural = _("login challenges")
        indexes = [models.Index(fields=["expires_at"], name="identity_challenge_expiry")]

    def __str__(self) -> str:
        return self.nonce

    @property
    def content(self) -> bytes:
        """The exact bytes the signer signs."""
        return challenge_content(self.nonce)


def challenge_content(nonce: str) -> bytes:
    return f"Torelik login {nonce}".encode()


class OrganisationMember(BaseModel):
    """A person who acts for an organisation, as their digital signature certificate says (BIN and
    role in the certificate); recorded at each login with a company certificate."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by a certificate at"))

    class Meta:
        ordering = ["organisation", "person"]
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        constraints = [models.UniqueConstraint(fields=["person", "organisation"], name="identity_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation} ({self.role})"


class LoginFailure(models.Model):
    """A wrong password at the staff login, counted per account and per address (the client's, behind a
    trusted proxy) in the database, so that the throttle holds across processes (ADR 0036)."""

    key = models.CharField(_("account or address"), max_length=200)
    at = models.DateTimeField(_("moment"))

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="login_failure_key_at")]
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"


class StaffSignatureBinding(models.Model):
    """A staff account bound by the administrator to a person's IIN: a valid AUTH certificate of that
    IIN logs the account in (ADR 0082). Never deleted: a revoked binding keeps who bound it, who revoked
    it and when, so the rows are the journal of the bindings."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="signature_bindings"
    )
    iin = IINField(_("IIN"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    bound_at = models.DateTimeField(_("bound at"))
    bound_by = models.ForeignKey(
        User, verbose_name=_("bound by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-bound_at", "-id"]
        verbose_name = _("staff signature binding")
        verbose_name_plural = _("staff signature bindings")
        constraints = [
            models.UniqueConstraint(
                fields=["iin"], condition=models.Q(revoked_at__isnull=True), name="identity_binding_active_iin"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="identity_binding_active_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ← {self.iin}"
