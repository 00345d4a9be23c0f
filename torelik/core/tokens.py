"""Bearer secrets (calendar feeds, recorder devices, partners' API credentials): a random token
shown once, and the SHA-256 that is all Torelik keeps of it."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored of a token and looked up by: its SHA-256 in hex (a token is random enough
    that no salt or slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()
