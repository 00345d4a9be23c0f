"""Sealing PDFs with the court's certificate (PAdES B-B, SHA-256) and checking the seals, with pyHanko.

`seal_pdf` adds one more signature as an incremental update (earlier seals stay valid);
`check_pdf_seals` reports every signature in a PDF against the same trust roots and CRLs as
`torelik.identity.eds`; `court_seal` finds the court's sealing key: in production a PKCS#12 file
`settings.TORELIK_COURT_SEAL_DIR/<court code>.p12` (password `TORELIK_COURT_SEAL_PASSWORD`), in
development and tests a certificate issued (once, then kept on disk) by the demo CA.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature

from torelik.core.asyncrun import run_coroutine
from torelik.identity.eds import demo_ca_trusted, validation_context
from torelik.identity.pki import DemoCA, IssuedCertificate, pyhanko_signer

logger = logging.getLogger("torelik.identity.pades")

for _name in ("pyhanko.sign", "pyhanko.pdf_utils", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


_ALLOWED_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class PdfSeal:
    """One signature in a PDF: only `intact and valid and trusted` is a good seal.

    `intact` is False also when the PDF was changed after sealing beyond adding further seals or
    filling form fields (pyHanko's difference analysis)."""

    intact: bool
    valid: bool
    trusted: bool
    signer_common_name: str
    signed_at: dt.datetime | None
    field_name: str = ""
    covers_whole_document: bool = False
    signer_organisation: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


def seal_pdf(
    pdf: bytes,
    *,
    signer: IssuedCertificate,
    field_name: str = "CourtSeal",
    reason: str = "",
    location: str = "",
) -> bytes:
    """The PDF with a PAdES B-B signature by `signer` in a new (invisible) field `field_name`."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    pdf_signer = signers.PdfSigner(metadata, signer=pyhanko_signer(signer))
    output = io.BytesIO()
    run_coroutine(pdf_signer.async_sign_pdf(writer, output=output))
    return output.getvalue()


def check_pdf_seals(pdf: bytes) -> list[PdfSeal]:
    """Every signature in the PDF, checked against the configured trust roots (empty list: none, or not a PDF)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - a broken PDF has no good seals
        logger.info("PDF could not be read for seals", exc_info=True)
        return []
    seals = []
    for embedded in signatures:
        try:
            status = run_coroutine(async_validate_pdf_signature(embedded, validation_context()))
        except Exception:  # noqa: BLE001 - a broken signature is a bad seal, not a crash
            logger.info("PDF seal could not be validated", exc_info=True)
            seals.append(PdfSeal(False, False, False, "", None, field_name=embedded.field_name))
            continue
        names = status.signing_cert.subject.native
        seals.append(
            PdfSeal(
                intact=status.intact
                and status.docmdp_ok is not False
                and status.modification_level in _ALLOWED_CHANGES,
                valid=status.valid,
                trusted=status.trusted,
                signer_common_name=str(names.get("common_name", "")),
                signed_at=status.signer_reported_dt,
                field_name=embedded.field_name,
                covers_whole_document=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
                signer_organisation=str(names.get("organization_name", "")),
            )
        )
    return seals


def court_seal(court_code: str, court_name: str) -> IssuedCertificate:
    """The court's sealing key and certificate (see the module docstring)."""
    directory = str(getattr(settings, "TORELIK_COURT_SEAL_DIR", ""))
    if directory:
        path = Path(directory) / f"{court_code}.p12"
        if not path.exists():
            raise ImproperlyConfigured(f"No court seal for court {court_code}: {path} is missing.")
        password = str(getattr(settings, "TORELIK_COURT_SEAL_PASSWORD", "")).encode()
        return IssuedCertificate.from_pkcs12(path.read_bytes(), password)
    if not demo_ca_trusted():
        raise ImproperlyConfigured("Set TORELIK_COURT_SEAL_DIR: court seals come from the demo CA only in development.")
    return DemoCA.load_or_create().issue_court_seal(court_code=court_code, court_name=court_name)


def seal_common_name(issued: IssuedCertificate) -> str:
    names = issued.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""
