"""Bearer secrets (calendar feeds, recorder devices, partners' API credentials): a random token
shown once, and the SHA-256 that is all Torelik keeps of it. Short codes (a few digits sent by
SMS) are different: a plain hash of one is undone by trying every code, so only a keyed hash
(HMAC-SHA256 under a key derived from the server's secret) is kept of them (ADR 0028)."""

import hashlib
import hmac
import secrets

from django.conf import settings


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token and looked up by: its SHA-256 in hex (a token is random enough
    that no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(namespace: str, *parts: str) -> str:
    """HMAC-SHA256 of the parts (joined by a separator no part contains) under the key of
    `namespace` derived from the server's secret: what is kept of a short code, so that a copy of
    the database alone does not give the codes away."""
    key = hashlib.sha256(f"{namespace}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()
