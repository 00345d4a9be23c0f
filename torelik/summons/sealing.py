"""The court's PAdES seal on a subpoena's PDF, through identity.pades (the court's key from
TORELIK_COURT_SEAL_DIR, or its demo certificate from the demo CA), and the check of the seals."""

from dataclasses import dataclass

from django.core.cache import cache

from torelik.archive.models import StoredFile
from torelik.archive.queries import open_stored_file
from torelik.courts.models import Court
from torelik.identity.pades import check_pdf_seals, court_seal, seal_pdf

SEAL_FIELD = "CourtSeal"
# How long a verdict on a stored PDF's seals is reused: a seal certificate revoked, or trust roots
# changed, show on the check page within this time.
SEAL_VERDICT_SECONDS = 60 * 60
FAILED_VERDICT_SECONDS = 60


@dataclass(frozen=True)
class SealCheck:
    signer: str
    valid: bool  # intact, valid and trusted: the only good seal


def seal(pdf: bytes, court: Court) -> bytes:
    """`pdf` with the PAdES B-B seal of `court` (an invisible signature field `CourtSeal`)."""
    name = court.name_ru or court.name
    return seal_pdf(
        pdf,
        signer=court_seal(court.code, name),
        field_name=SEAL_FIELD,
        reason="E-subpoena / Электронная повестка / Электрондық шақыру",
        location=name,
    )


def check(pdf: bytes) -> list[SealCheck]:
    return [SealCheck(signer=found.signer_common_name, valid=found.ok) for found in check_pdf_seals(pdf)]


def check_stored(stored: StoredFile) -> list[SealCheck]:
    """The seals of a stored PDF, validated once and the verdict reused for SEAL_VERDICT_SECONDS (in
    Django's cache): the file store is content-addressed, so the SHA-256 names exactly the bytes that
    were checked, and pyHanko's path validation need not run on every view of the public check page."""
    key = f"torelik.summons.seals:v1:{stored.sha256}"
    cached = cache.get(key)
    if isinstance(cached, list):
        return [SealCheck(signer=str(signer), valid=bool(valid)) for signer, valid in cached]
    with open_stored_file(stored) as handle:
        seals = check(handle.read())
    # A seal found invalid may be a passing failure (revocation data out of reach): asked again soon.
    seconds = SEAL_VERDICT_SECONDS if seals and all(seal.valid for seal in seals) else FAILED_VERDICT_SECONDS
    cache.set(key, [(seal.signer, seal.valid) for seal in seals], seconds)
    return seals
