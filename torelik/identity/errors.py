"""Refusals of the identity context's EDS login (signature refusals are `eds.SignatureRefusedError`)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from torelik.core.errors import DomainError


class LoginErrorCode(StrEnum):
    CHALLENGE_UNKNOWN = "login_challenge_unknown"
    CHALLENGE_USED = "login_challenge_used"
    CHALLENGE_EXPIRED = "login_challenge_expired"
    NO_IIN = "login_certificate_without_iin"
    ACCOUNT_DISABLED = "login_account_disabled"
    STAFF_NOT_BOUND = "login_staff_certificate_not_bound"
    NOT_STAFF = "binding_account_not_staff"
    ALREADY_BOUND = "binding_iin_already_bound"
    NOT_BOUND = "binding_account_not_bound"


MESSAGES = {
    LoginErrorCode.CHALLENGE_UNKNOWN: _("This login request is unknown: reload the page and sign again."),
    LoginErrorCode.CHALLENGE_USED: _("This login request has already been used: reload the page and sign again."),
    LoginErrorCode.CHALLENGE_EXPIRED: _("This login request has expired: reload the page and sign again."),
    LoginErrorCode.NO_IIN: _("The certificate carries no IIN: log in with a personal certificate."),
    LoginErrorCode.ACCOUNT_DISABLED: _("This account is disabled. Contact the court."),
    LoginErrorCode.STAFF_NOT_BOUND: _(
        "This certificate is not bound to a staff account, or its binding was revoked. "
        "Ask the court's administrator to bind your IIN to your account."
    ),
    LoginErrorCode.NOT_STAFF: _("Only a court staff account can be bound to a signature."),
    LoginErrorCode.ALREADY_BOUND: _("This IIN is already bound to another staff account: revoke that binding first."),
    LoginErrorCode.NOT_BOUND: _("This account has no binding to revoke."),
}


class LoginError(DomainError):
    http_status = 401

    def __init__(self, code: LoginErrorCode) -> None:
        super().__init__(code, MESSAGES[code])
