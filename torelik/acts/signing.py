"""The judge's PAdES signature on an act, made in two steps because the key never reaches the server:

1. `prepare`: the PDF gets an empty signature field with room reserved for the signature (pyHanko's
   interrupted signing); the bytes the signature covers (everything but the reserved room: the PDF
   ByteRange) go to the judge's signing program (NCALayer, or `torelik dev-signer`), which returns a
   detached CMS over them — a CAdES signature whose message digest is the PDF's byte-range digest.
2. `complete`: the CMS (already verified by `identity.eds` as the judge's SIGN key) gets an RFC 3161
   signature timestamp from the configured authority (`archive.timestamps`) as an unsigned
   attribute, and is written into the reserved room. The result is a PAdES (ETSI.CAdES.detached)
   signature that pyHanko and poppler's `pdfsig` validate.
"""

import base64
import hashlib
import io
from dataclasses import dataclass

from asn1crypto import cms
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest

from torelik.archive.timestamps import Timestamp, request_timestamp
from torelik.core.asyncrun import run_coroutine

FIELD_NAME = "JudgeSignature"
# Room for the CMS: the judge's certificate chain and the timestamp token with its authority's chain.
BYTES_RESERVED = 24 * 1024


@dataclass(frozen=True)
class Prepared:
    pdf: bytes  # the PDF with the reserved room (zeros)
    start: int  # where the reserved room begins and ends (the hex string <...>)
    end: int

    @property
    def signed_bytes(self) -> bytes:
        """What the judge's signature covers: the PDF without the reserved room."""
        return self.pdf[: self.start] + self.pdf[self.end :]

    @property
    def signed_bytes_base64(self) -> str:
        return base64.b64encode(self.signed_bytes).decode()


def prepare(pdf: bytes, *, reason: str = "", location: str = "") -> Prepared:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    placeholder = signers.ExternalSigner(signing_cert=None, cert_registry=None, signature_value=bytes(256))
    pdf_signer = signers.PdfSigner(metadata, signer=placeholder)
    output = io.BytesIO()
    digest, _document, out = run_coroutine(
        pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=BYTES_RESERVED, output=output)
    )
    prepared = Prepared(
        pdf=output.getvalue() if out is output else out.read(),
        start=digest.reserved_region_start,
        end=digest.reserved_region_end,
    )
    if hashlib.sha256(prepared.signed_bytes).digest() != digest.document_digest:  # pragma: no cover - pyHanko's own
        raise RuntimeError("the byte range does not give pyHanko's digest")
    return prepared


def with_timestamp(signature: bytes, tsa_url: str, *, timeout: float = 10.0) -> tuple[bytes, Timestamp]:
    """The CMS with an RFC 3161 token over its signature value (CAdES signature-time-stamp)."""
    info = cms.ContentInfo.load(signature)
    signer_info = info["content"]["signer_infos"][0]
    stamp = request_timestamp(tsa_url, hashlib.sha256(signer_info["signature"].native).digest(), timeout=timeout)
    attribute = cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [cms.ContentInfo.load(stamp.token)]})
    existing = list(signer_info["unsigned_attrs"]) if signer_info["unsigned_attrs"].native else []
    signer_info["unsigned_attrs"] = cms.CMSAttributes([*existing, attribute])
    # Not forced: only the signer info changed is encoded again; the certificates keep their own bytes
    # (a forced dump re-encodes every nested value, most of the signing request's time, bench/acts.py).
    return info.dump(), stamp


def complete(prepared: Prepared, signature: bytes) -> bytes:
    """The signed PDF: `signature` (DER CMS) written into the reserved room."""
    if len(signature) * 2 > prepared.end - prepared.start - 2:
        raise ValueError("the signature does not fit the room reserved for it")
    output = io.BytesIO(prepared.pdf)
    digest = PreparedByteRangeDigest(
        document_digest=hashlib.sha256(prepared.signed_bytes).digest(),
        reserved_region_start=prepared.start,
        reserved_region_end=prepared.end,
    )
    digest.fill_with_cms(output, signature)
    return output.getvalue()
