"""Pages of the identity context: logging in with a digital signature (EDS).

The page holds a one-time challenge; its script (`identity/signer.js`) asks NCALayer (or the
development signer) for a detached CMS over it made with the AUTH key, puts the signature into the
form and submits it. Without the script a signature made elsewhere can be pasted in.
"""

import base64
import binascii
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.core.errors import DomainError
from torelik.identity import actions
from torelik.identity.errors import LoginError, LoginErrorCode

logger = logging.getLogger("torelik.identity.login")

#: Session key holding what the login certificate said (IIN, BIN, role, serial).
SESSION_SIGNER_KEY = "torelik_eds_signer"
#: Session key of the challenges this browser was given: a login answers only one of them, so that a
#: signature over a challenge issued to someone else cannot log this browser in (login CSRF).
SESSION_CHALLENGES_KEY = "torelik_eds_challenges"
KEPT_CHALLENGES = 5


def remember_challenge(request: HttpRequest, nonce: str) -> None:
    kept = [n for n in request.session.get(SESSION_CHALLENGES_KEY, []) if n != nonce]
    request.session[SESSION_CHALLENGES_KEY] = [*kept, nonce][-KEPT_CHALLENGES:]


def issued_to_this_browser(request: HttpRequest, nonce: str) -> bool:
    return nonce in request.session.get(SESSION_CHALLENGES_KEY, [])


def ncalayer_url() -> str:
    """Where pages look for NCALayer: the setting, else wss://127.0.0.1:13579 (ws:// under DEBUG)."""
    configured = str(getattr(settings, "TORELIK_NCALAYER_URL", ""))
    if configured:
        return configured
    return "ws://127.0.0.1:13579" if settings.DEBUG else "wss://127.0.0.1:13579"


def signer_session_data(result: actions.EdsLogin) -> dict[str, Any]:
    return {
        "iin": result.signer.iin,
        "bin": result.signer.bin,
        "role": result.signer.role,
        "organisation": result.organisation.name if result.organisation else None,
        "certificate_serial": result.signer.certificate_serial,
    }


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _posted_signature(request: HttpRequest) -> tuple[str, bytes]:
    nonce = request.POST.get("nonce", "")
    try:
        signature = base64.b64decode("".join(request.POST.get("signature", "").split()), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if not issued_to_this_browser(request, nonce):
        raise LoginError(LoginErrorCode.CHALLENGE_UNKNOWN)
    return nonce, signature


def _login_page(request: HttpRequest, error: str | None, *, staff: bool) -> HttpResponse:
    challenge = actions.issue_login_challenge()
    remember_challenge(request, challenge.nonce)
    return render(
        request,
        "identity/eds_login.html",
        {
            "challenge": challenge,
            "challenge_data": base64.b64encode(challenge.content).decode(),
            "error": error,
            "next": _next_url(request),
            "challenge_minutes": max(1, int(getattr(settings, "TORELIK_EDS_CHALLENGE_SECONDS", 120)) // 60),
            "staff": staff,
        },
        status=422 if error else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def staff_eds_login(request: HttpRequest) -> HttpResponse:
    """Court staff log in with the AUTH key of their own certificate, as citizens do; the account is
    the staff account the administrator bound to the certificate's IIN (ADR 0082)."""
    error: str | None = None
    if request.method == "POST":
        try:
            nonce, signature = _posted_signature(request)
            result = actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
        except DomainError as refused:
            error = refused.message
        else:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_SIGNER_KEY] = signer_session_data(result)
            name = result.user.person.full_name if result.user.person else result.signer.common_name
            messages.success(request, _("You are logged in as %(name)s.") % {"name": name})
            return redirect(_next_url(request) or "workspace")
    return _login_page(request, error, staff=True)


@never_cache
@require_http_methods(["GET", "POST"])
def eds_login(request: HttpRequest) -> HttpResponse:
    error: str | None = None
    if request.method == "POST":
        try:
            nonce, signature = _posted_signature(request)
            result = actions.log_in_with_signature(nonce=nonce, signature=signature)
        except DomainError as refused:
            error = refused.message
        else:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_SIGNER_KEY] = signer_session_data(result)
            name = result.user.person.full_name if result.user.person else result.signer.common_name
            if result.organisation is not None:
                messages.success(
                    request,
                    _("You are logged in as %(name)s, for %(organisation)s.")
                    % {"name": name, "organisation": result.organisation.name},
                )
            else:
                messages.success(request, _("You are logged in as %(name)s.") % {"name": name})
            # A citizen's, company's or lawyer's signature opens the Judicial Office.
            return redirect(_next_url(request) or "filing:office")
    return _login_page(request, error, staff=False)
