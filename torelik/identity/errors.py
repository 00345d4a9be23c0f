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


MESSAGES = {
    LoginErrorCode.CHALLENGE_UNKNOWN: _("This login request is unknown: reload the page and sign again."),
    LoginErrorCode.CHALLENGE_USED: _("This login request has already been used: reload the page and sign again."),
    LoginErrorCode.CHALLENGE_EXPIRED: _("This login request has expired: reload the page and sign again."),
    LoginErrorCode.NO_IIN: _("The certificate carries no IIN: log in with a personal certificate."),
    LoginErrorCode.ACCOUNT_DISABLED: _("This account is disabled. Contact the court."),
}


class LoginError(DomainError):
    http_status = 401

    def __init__(self, code: LoginErrorCode) -> None:
        super().__init__(code, MESSAGES[code])
