"""Partner clients' credentials and the journal of their calls (ADR 0096): a client is made with a Bearer
token and, for HMAC signing, a secret, both shown once; only the token's SHA-256 and a salt are kept,
the secret being derived from the server's key and the salt. Revoking takes effect at the next call.
Every call, accepted or refused, is written to the client's journal (`ClientCall`)."""

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.core.tokens import new_token, token_digest
from torelik.exchange.errors import ExchangeAuthError, ExchangeError, ExchangeErrorCode, ExchangeInvalidError
from torelik.exchange.models import (
    DEFAULT_SCOPES,
    CallOutcome,
    ClientCall,
    PartnerClient,
    PartnerKind,
    Scope,
    SigningScheme,
)
from torelik.identity.models import User

SIGNATURE_HEADER = "X-Torelik-Signature"
# Seconds between the partner's timestamp of an HMAC signature and our clock.
SIGNATURE_TOLERANCE = 300


@dataclass(frozen=True)
class NewClient:
    """A client just made, with what is shown once: its token and (HMAC) its signing secret."""

    client: PartnerClient
    token: str
    secret: str


def hmac_hex(secret: str, stamp: str | int, body: bytes) -> str:
    """HMAC-SHA256 in hex of `"<stamp>." + body` under `secret`: what both directions of the exchange sign."""
    return hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()


def _derived_secret(salt: str, server_secret: str) -> str:
    key = hashlib.sha256(f"exchange.client:{server_secret}".encode()).digest()
    return base64.urlsafe_b64encode(hmac.new(key, salt.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def signing_secrets(client: PartnerClient) -> list[str]:
    """The client's HMAC secret under the server's key and under each of its fallbacks (a rotated key
    keeps partners' secrets valid while it is a fallback)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_derived_secret(client.hmac_salt, key) for key in keys]


def _public_key(pem: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise ExchangeInvalidError(
            ExchangeErrorCode.INVALID,
            _("The public key is not a PEM Ed25519 public key."),
            fields={"public_key_pem": [str(_("The public key is not a PEM Ed25519 public key."))]},
        ) from error
    if not isinstance(key, Ed25519PublicKey):
        raise ExchangeInvalidError(
            ExchangeErrorCode.INVALID,
            _("The public key is not a PEM Ed25519 public key."),
            fields={"public_key_pem": [str(_("The public key is not a PEM Ed25519 public key."))]},
        )
    return key


@transaction.atomic
def create_client(
    *,
    name: str,
    kind: str,
    actor: User | None,
    scopes: Sequence[str] | None = None,
    signing: str = SigningScheme.HMAC,
    public_key_pem: str = "",
    bin: str = "",  # noqa: A002 - the domain's name for it
    endpoint_url: str = "",
) -> NewClient:
    """A new partner client; the token (and the HMAC secret) are in the answer and nowhere else."""
    chosen = list(DEFAULT_SCOPES[PartnerKind(kind)] if scopes is None else scopes)
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown:
        raise ExchangeError(
            ExchangeErrorCode.INVALID, _("Unknown scope: %(scope)s."), params={"scope": ", ".join(unknown)}
        )
    if signing == SigningScheme.JWS:
        _public_key(public_key_pem)
    token = new_token()
    salt = secrets.token_hex(16) if signing == SigningScheme.HMAC else ""
    try:
        with transaction.atomic():
            client = PartnerClient.objects.create(
                name=name.strip(),
                kind=kind,
                scopes=chosen,
                token_sha256=token_digest(token),
                signing=signing,
                hmac_salt=salt,
                public_key_pem=public_key_pem.strip(),
                bin=bin,
                endpoint_url=endpoint_url,
                created_by=actor,
            )
    except IntegrityError as error:
        message = _("A partner client with this name exists already.")
        raise ExchangeError(ExchangeErrorCode.NAME_TAKEN, message, fields={"name": [str(message)]}) from error
    secret = _derived_secret(salt, settings.SECRET_KEY) if salt else ""
    return NewClient(client=client, token=token, secret=secret)


@transaction.atomic
def revoke_client(*, client: PartnerClient, actor: User | None, reason: str) -> PartnerClient:
    """Revoke the client's credential: every later call is refused as an unknown credential."""
    if client.revoked_at is None:
        client.revoked_at, client.revoked_by, client.revoke_reason = clock.now(), actor, reason[:300]
        client.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    return client


def client_for(token: str) -> PartnerClient:
    """The active client holding `token`."""
    client = (
        PartnerClient.objects.filter(token_sha256=token_digest(token), revoked_at__isnull=True).first()
        if token
        else None
    )
    if client is None:
        raise ExchangeAuthError(ExchangeErrorCode.TOKEN_INVALID, _("The partner credential is not valid."))
    return client


def check_signature(client: PartnerClient, *, body: bytes, header: str) -> None:
    """The message's signature by the client: `t=<unix time>,v1=<hex HMAC-SHA256 of "t." + body>` under
    its secret, or `jws=<compact JWS with a detached payload>` (EdDSA) under its public key."""
    if not header:
        raise ExchangeAuthError(
            ExchangeErrorCode.SIGNATURE_MISSING,
            _("The message is not signed: send its signature in the X-Torelik-Signature header."),
        )
    invalid = ExchangeAuthError(ExchangeErrorCode.SIGNATURE_INVALID, _("The message's signature is not valid."))
    parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
    if client.signing == SigningScheme.JWS:
        try:
            jwt.api_jws.decode_complete(
                parts.get("jws", ""), _public_key(client.public_key_pem), algorithms=["EdDSA"], detached_payload=body
            )
        except (jwt.InvalidTokenError, ExchangeInvalidError) as error:
            raise invalid from error
        return
    try:
        stamp = int(parts.get("t", ""))
    except ValueError:
        raise invalid from None
    if abs(clock.now().timestamp() - stamp) > SIGNATURE_TOLERANCE:
        raise invalid
    given = parts.get("v1", "")
    if any(hmac.compare_digest(hmac_hex(secret, stamp, body), given) for secret in signing_secrets(client)):
        return
    raise invalid


def hmac_header(secret: str, body: bytes, *, at: dt.datetime | None = None) -> str:
    """The signature header a partner sends with `body` (tests, the simulator's sender and the bench)."""
    stamp = int((at or clock.now()).timestamp())
    return f"t={stamp},v1={hmac_hex(secret, stamp, body)}"


def record_call(
    *,
    client: PartnerClient,
    topic: str,
    outcome: str,
    status_code: int,
    message_id: str = "",
    code: str = "",
    case_number: str = "",
    body_sha256: str = "",
) -> ClientCall:
    """One line of the client's journal."""
    return ClientCall.objects.create(
        client=client,
        at=clock.now(),
        topic=topic[:60],
        message_id=message_id[:100],
        outcome=CallOutcome(outcome),
        status_code=status_code,
        code=code[:60],
        case_number=case_number[:40],
        body_sha256=body_sha256,
    )
