"""The court's PAdES seal on a subpoena's PDF, through identity.pades (the court's key from
TORELIK_COURT_SEAL_DIR, or its demo certificate from the demo CA), and the check of the seals."""

from dataclasses import dataclass

from torelik.courts.models import Court
from torelik.identity.pades import check_pdf_seals, court_seal, seal_pdf

SEAL_FIELD = "CourtSeal"


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
