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


def _digest(secret: str, namespace: str, parts: tuple[str, ...]) -> str:
    key = hashlib.sha256(f"{namespace}:{secret}".encode()).digest()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def keyed_digest(namespace: str, *parts: str) -> str:
    """HMAC-SHA256 of the parts (joined by a separator no part contains) under the key of
    `namespace` derived from the server's secret: what is kept of a short code, so that a copy of
    the database alone does not give the codes away."""
    return _digest(settings.SECRET_KEY, namespace, parts)


def keyed_digests(namespace: str, *parts: str) -> list[str]:
    """The digest of the parts under the current secret and under each of SECRET_KEY_FALLBACKS: what a
    code typed by a person is looked up by, so that rotating SECRET_KEY (the old one kept as a fallback
    for the codes' lifetime) does not invalidate the codes and logins already sent (ADR 0036)."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_digest(secret, namespace, parts) for secret in secrets_]


def keyed_digest_matches(stored: str, namespace: str, *parts: str) -> bool:
    """Whether `stored` is the parts' digest under the current key or a fallback key (constant time each)."""
    return any(hmac.compare_digest(stored, digest) for digest in keyed_digests(namespace, *parts))
