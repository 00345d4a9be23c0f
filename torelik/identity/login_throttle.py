"""The staff login's throttle: wrong passwords are counted per account and per client address in the
database; past TORELIK_LOGIN_ATTEMPTS for the account, or TORELIK_LOGIN_ADDRESS_ATTEMPTS from the
address, within TORELIK_LOGIN_LOCK_MINUTES, the login is refused with a clear message and a log line,
even with the right password, until the window has passed (ADR 0036)."""

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.identity.models import LoginFailure

logger = logging.getLogger("torelik.security")


def _keys(username: str, address: str | None) -> list[tuple[str, int]]:
    keys = [(f"account:{username.strip().lower()}", settings.TORELIK_LOGIN_ATTEMPTS)]
    if address:
        keys.append((f"address:{address}", settings.TORELIK_LOGIN_ADDRESS_ATTEMPTS))
    return keys


def locked_until(username: str, address: str | None) -> dt.datetime | None:
    """When the login of `username` from `address` opens again, or None when it is open."""
    window = dt.timedelta(minutes=settings.TORELIK_LOGIN_LOCK_MINUTES)
    since = clock.now() - window
    until: dt.datetime | None = None
    for key, limit in _keys(username, address):
        failures = list(
            LoginFailure.objects.filter(key=key, at__gt=since).order_by("-at").values_list("at", flat=True)[:limit]
        )
        if len(failures) >= limit:
            opens = failures[-1] + window
            until = opens if until is None else max(until, opens)
    return until


def record_failure(username: str, address: str | None) -> None:
    now = clock.now()
    LoginFailure.objects.bulk_create([LoginFailure(key=key, at=now) for key, _limit in _keys(username, address)])
    logger.warning("staff login: wrong password for account %r from %s", username[:150], address or "-")


def forget_failures(username: str) -> None:
    """A right password clears the account's count (the address's stays: it may be trying others)."""
    LoginFailure.objects.filter(key=f"account:{username.strip().lower()}").delete()


class ThrottledLogin:
    """The check of AuthenticationForm under the throttle (mixed into the staff and the admin forms)."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = self.request.META.get("REMOTE_ADDR") if self.request is not None else None
        if username:
            until = locked_until(username, address)
            if until is not None:
                logger.warning("staff login: refused, locked until %s: account %r from %s", until, username, address)
                local = until.astimezone(ZoneInfo(settings.TIME_ZONE))
                raise forms.ValidationError(
                    _("Too many wrong passwords. The login is locked until %(time)s; try again then."),
                    code="locked",
                    params={"time": f"{local:%d.%m.%Y %H:%M}"},
                )
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if username:
                record_failure(username, address)
            raise
        forget_failures(username)
        return cleaned


def password_login_allowed(user: Any) -> bool:
    """TORELIK_STAFF_PASSWORD_LOGIN (ADR 0082): "all" lets every staff account in with a password,
    "admin" only the administrator (a superuser), "off" no one: staff then log in with their signature."""
    mode = str(getattr(settings, "TORELIK_STAFF_PASSWORD_LOGIN", "admin")).strip().lower()
    if mode == "all":
        return True
    if mode == "off":
        return False
    return bool(user.is_superuser)


class PasswordPolicy:
    """Refuses a right password when the setting keeps the password login for the administrator or off."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)  # type: ignore[misc]
        if not password_login_allowed(user):
            logger.warning(
                "staff login: password refused by TORELIK_STAFF_PASSWORD_LOGIN for account %r", user.username
            )
            raise forms.ValidationError(
                _("Staff log in with their digital signature: the password login is for the administrator only."),
                code="password_login_off",
            )


class ThrottledAuthenticationForm(ThrottledLogin, PasswordPolicy, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLogin, PasswordPolicy, AdminAuthenticationForm):
    pass
