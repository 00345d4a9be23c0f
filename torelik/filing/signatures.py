"""Verifying a filer's detached CMS signature over a manifest, through identity's EDS verifier
(`verify_detached(..., purpose=SIGNING)`: path validation against the trust roots, revocation, key
purpose). This module only turns its answer (or its refusal) into the filing context's terms."""

import base64
from dataclasses import dataclass

from torelik.filing.errors import FilingError, FilingErrorCode
from torelik.identity.eds import SignatureRefusedError, verify_detached
from torelik.identity.pki import KeyPurpose


@dataclass(frozen=True)
class Signer:
    iin: str
    bin: str
    common_name: str


def verify_signing_signature(content: bytes, signature: bytes) -> Signer:
    """The signer of `signature` over `content` with a SIGNING key; FilingError with the verifier's
    reason (`reason`: its SignatureRefusal code) otherwise."""
    try:
        # Handed over as base64: identity's reader strips surrounding whitespace, which would cut a
        # DER signature whose last byte happens to be 0x0a or 0x20 (reported to the identity context).
        signer = verify_detached(content, base64.b64encode(signature), purpose=KeyPurpose.SIGNING)
    except SignatureRefusedError as error:
        refused = FilingError(
            FilingErrorCode.SIGNATURE_REFUSED,
            error.message_template,
            params=error.params,
            fields={"signature": [error.message]},
        )
        refused.reason = str(error.code)  # type: ignore[attr-defined]
        raise refused from error
    return Signer(iin=signer.iin or "", bin=signer.bin or "", common_name=signer.common_name or "")
