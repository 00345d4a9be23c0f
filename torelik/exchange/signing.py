"""How an event is signed for its partner (ADR 0092): a compact JWS (RS256) with the seal key of the court
the event comes from and the seal's certificate chain in `x5c`, which the partner checks against the
national CA's root; or HMAC-SHA256 with the partner's shared secret over the timestamp and the body."""

import base64
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from torelik.exchange.clients import SIGNATURE_HEADER, hmac_hex
from torelik.exchange.partners import Partner, Signing
from torelik.identity.pades import court_seal

TIMESTAMP_HEADER = "X-Torelik-Timestamp"


@dataclass(frozen=True)
class Sealer:
    key: Any
    x5c: tuple[str, ...]
    kid: str


@lru_cache(maxsize=256)
def _sealer(court_code: str, court_name: str, pki: str) -> Sealer:
    issued = court_seal(court_code, court_name)
    chain = (issued.certificate, *[c for c in issued.chain if c != issued.certificate])
    x5c = tuple(base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in chain)
    return Sealer(key=issued.private_key, x5c=x5c, kid=f"court:{court_code}:{issued.certificate.serial_number:x}")


def sealer(court_code: str, court_name: str) -> Sealer:
    return _sealer(court_code, court_name, str(getattr(settings, "TORELIK_PKI_DIR", "")))


def hmac_signature(secret: str, timestamp: str, body: bytes) -> str:
    return f"sha256={hmac_hex(secret, timestamp, body)}"


def sign(partner: Partner, body: bytes, *, court_code: str, court_name: str) -> tuple[bytes, dict[str, str]]:
    """The request body and headers that carry `body` (the envelope's JSON) to `partner`, signed."""
    if partner.signing == Signing.JWS:
        seal = sealer(court_code, court_name)
        token = jwt.api_jws.encode(
            body,
            seal.key,
            algorithm="RS256",
            headers={"x5c": list(seal.x5c), "kid": seal.kid, "cty": "application/json"},
        )
        return token.encode(), {"Content-Type": "application/jose"}
    timestamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: hmac_signature(partner.secret, timestamp, body),
    }
