"""The signed manifest of a hybrid batch: RFC 8785 canonical JSON of the batch (its number, court, the
package's SHA-256 and each letter's barcode, file digest, recipient and postal index), signed with the
court system's Ed25519 key so that the operator can check that nothing was added, removed or changed
between the court and its printers (ADR 0060)."""

import base64
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from torelik.core.canonical import canonical


def signing_key() -> Ed25519PrivateKey:
    configured = settings.TORELIK_POST_MANIFEST_KEY
    if configured:
        seed = base64.b64decode(configured)
    else:  # development and tests only: production refuses to start without the key
        seed = hashlib.sha256(b"torelik-post-manifest:" + settings.SECRET_KEY.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64() -> str:
    raw = signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(manifest: dict[str, Any]) -> str:
    return base64.b64encode(signing_key().sign(canonical(manifest))).decode()


def verify(manifest: dict[str, Any], signature: str, public_key: str) -> bool:
    """Whether `signature` (base64) is the signature of `manifest` by the key `public_key` (base64, raw)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(signature), canonical(manifest))
    except (InvalidSignature, ValueError):
        return False
    return True
