"""The canonical manifest a filer signs: the form data and each attachment's name, size and SHA-256,
serialised by RFC 8785 (JSON Canonicalization Scheme) so that the same filing always gives the same
bytes, whoever computes them (the browser shows it, the server recomputes it from the stored draft)."""

from collections.abc import Sequence
from typing import Any

from torelik.core.canonical import canonical
from torelik.filing.models import Attachment, Filing

MANIFEST_VERSION = 1


def attachments_of(filing: Filing) -> list[Attachment]:
    """The draft's attachments with their files, in the manifest's order."""
    return list(filing.attachments.select_related("file").order_by("created_at", "id"))


def manifest_of(filing: Filing, attachments: Sequence[Attachment] | None = None) -> dict[str, Any]:
    """`attachments`: the draft's attachments in the manifest's order when the caller holds them
    already (`attachments_of`, or the rows it just wrote), else they are read."""
    if attachments is None:
        attachments = attachments_of(filing)
    return {
        "torelik_filing_manifest": MANIFEST_VERSION,
        "filing": str(filing.public_id),
        "kind": filing.kind,
        "channel": filing.channel,
        "filer_iin": filing.filer_iin,
        "filer_bin": filing.filer_bin,
        "on_behalf_of_iin": filing.on_behalf_of_iin,
        "court": filing.court.code if filing.court is not None else None,
        "category": filing.category.code if filing.category is not None else None,
        "case": filing.target_case.number if filing.target_case is not None else None,
        "subject": filing.subject,
        "claim_amount": f"{filing.claim_amount:.2f}" if filing.claim_amount is not None else None,
        "data": filing.data,
        "fee": {
            "amount": f"{filing.fee_amount:.2f}" if filing.fee_amount is not None else None,
            "basis": filing.fee_basis,
            "exemption": filing.fee_exemption,
        },
        "attachments": [
            {
                "name": a.filename,
                "role": a.role,
                "title": a.title,
                "size": a.file.size,
                "sha256": a.file.sha256,
            }
            for a in attachments
        ],
    }


def canonical_manifest(filing: Filing, attachments: Sequence[Attachment] | None = None) -> bytes:
    return canonical(manifest_of(filing, attachments))
