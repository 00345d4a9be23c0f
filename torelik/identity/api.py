"""JSON API of the identity context: the EDS login challenge and its answer.

`POST /api/v1/auth/eds/challenge` gives a one-time challenge (the exact bytes to sign, base64);
`POST /api/v1/auth/eds/login` takes the detached CMS signature over them made with the AUTH key
and opens a Django session for the certificate's IIN."""

import base64
import binascii
import datetime as dt

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from pydantic import Field

from torelik.core.api import ErrorOut
from torelik.identity import actions
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError
from torelik.identity.errors import LoginError, LoginErrorCode
from torelik.identity.views import (
    SESSION_SIGNER_KEY,
    issued_to_this_browser,
    ncalayer_url,
    remember_challenge,
    signer_session_data,
)

router = Router(tags=["identity"])


class ChallengeOut(Schema):
    nonce: str
    data: str = Field(description="The bytes to sign, base64 (sign them decoded: a detached CMS).")
    expires_at: dt.datetime
    signer_url: str = Field(description="Where the page expects NCALayer (or the development signer).")


class LoginIn(Schema):
    nonce: str = Field(max_length=64)
    signature: str = Field(max_length=200_000, description="Detached CMS (DER), base64.")


class LoginOut(Schema):
    iin: str
    bin: str | None
    role: str | None
    name: str
    created: bool


@router.post("/auth/eds/challenge", response={200: ChallengeOut}, url_name="eds_challenge")
def eds_challenge(request: HttpRequest) -> ChallengeOut:
    challenge = actions.issue_login_challenge()
    remember_challenge(request, challenge.nonce)
    return ChallengeOut(
        nonce=challenge.nonce,
        data=base64.b64encode(challenge.content).decode(),
        expires_at=challenge.expires_at,
        signer_url=ncalayer_url(),
    )


def decode_signature(value: str) -> bytes:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        refused = SignatureRefusedError(SignatureRefusal.MALFORMED)
        refused.fields = {"signature": [str(_("The signature is not valid base64."))]}
        raise refused from error


@router.post("/auth/eds/login", response={200: LoginOut, 401: ErrorOut, 422: ErrorOut}, url_name="eds_login")
def eds_login(request: HttpRequest, payload: LoginIn) -> LoginOut:
    # Only a challenge this browser (session) was given: a form on another site cannot log it in as
    # someone else with a signature made elsewhere (login CSRF).
    if not issued_to_this_browser(request, payload.nonce):
        raise LoginError(LoginErrorCode.CHALLENGE_UNKNOWN)
    result = actions.log_in_with_signature(nonce=payload.nonce, signature=decode_signature(payload.signature))
    login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_SIGNER_KEY] = signer_session_data(result)
    return LoginOut(
        iin=result.signer.iin or "",
        bin=result.signer.bin,
        role=result.signer.role,
        name=result.user.person.full_name if result.user.person else result.signer.common_name,
        created=result.created,
    )
