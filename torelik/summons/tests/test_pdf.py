"""The subpoena PDF: its text comes back out with pdftotext (Kazakh and Cyrillic intact), it carries
a QR code of its verification page, and it is sealed by the court (PAdES, checked with pyHanko)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from reportlab.lib.units import mm

from conftest import skip_or_fail
from torelik.core.tests.pdf_words import off_the_page, overlapping, words_of
from torelik.identity.eds import validation_context
from torelik.summons import actions, sealing
from torelik.summons.models import Subpoena
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import DEFENDANT_E164, summoned

pytestmark = pytest.mark.django_db
NUMBER = "3599-26-00-2а/2151"


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("pdftotext not found: apt-get install poppler-utils")
    path = tmp_path / "subpoena.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=30)  # noqa: S603, S607
    return result.stdout.decode()


def test_the_pdf_text_is_extracted_in_kazakh_with_the_case_number(outbox: Outbox, tmp_path: Path) -> None:
    summons = summoned(number=NUMBER)
    subpoena = Subpoena.objects.get(phone=DEFENDANT_E164)  # Kazakh is the defendant's language
    text = pdftotext(actions.sealed_pdf(subpoena=subpoena), tmp_path)
    assert NUMBER in text
    assert subpoena.number in text
    assert "Әбілқасымов" in text
    assert summons.court.court.name_kk in text
    assert "02.12.2026 10:00" in text
    assert "ГПК РК" in text
    assert f"/kk/summons/verify/{subpoena.number}/" in text


def test_the_pdf_is_made_once_and_kept(outbox: Outbox) -> None:
    summoned()
    subpoena = Subpoena.objects.get(phone=DEFENDANT_E164)
    first = actions.sealed_pdf(subpoena=subpoena)
    subpoena.refresh_from_db()
    assert subpoena.pdf is not None
    assert actions.sealed_pdf(subpoena=subpoena) == first


def test_the_pdf_is_sealed_by_its_court_and_pyhanko_validates_the_seal(outbox: Outbox) -> None:
    summons = summoned()
    subpoena = Subpoena.objects.get(phone=DEFENDANT_E164)
    pdf = actions.sealed_pdf(subpoena=subpoena)

    reader = PdfFileReader(io.BytesIO(pdf))
    [embedded] = reader.embedded_signatures
    assert embedded.field_name == "CourtSeal"
    status = validate_pdf_signature(embedded, validation_context())
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == summons.court.court.name_ru

    [seal] = sealing.check(pdf)
    assert seal.valid


def test_a_changed_pdf_fails_the_check(outbox: Outbox) -> None:
    summoned()
    pdf = actions.sealed_pdf(subpoena=Subpoena.objects.get(phone=DEFENDANT_E164))
    # A byte inside the sealed range changed (ReportLab's header comment: the PDF still parses).
    position = pdf.index(b"ReportLab Generated PDF document")
    forged = pdf[:position] + b"Forged!!!" + pdf[position + 9 :]
    assert [seal.valid for seal in sealing.check(forged)] in ([], [False])


@pytest.mark.parametrize("phone", [DEFENDANT_E164, None])
def test_the_pdf_names_the_judge_in_full_and_no_text_overlaps_or_leaves_the_page(
    outbox: Outbox, phone: str | None
) -> None:
    """The judge who calls the person is named in full (not cut to initials), no "(verify)" placeholder
    is printed, and pdftotext finds every word inside the page, none over another."""
    summoned()
    subpoenas = Subpoena.objects.filter(phone=phone) if phone else Subpoena.objects.exclude(phone=DEFENDANT_E164)
    subpoena = subpoenas.select_related("hearing__judge__person").first()
    assert subpoena is not None
    pages, words = words_of(actions.sealed_pdf(subpoena=subpoena))
    text = " ".join(word.text for word in words)
    assert "Ахметов Нурлан Серикович" in text  # the factory's judge, full name
    assert "verify)" not in text
    assert overlapping(words) == []
    assert off_the_page(pages, words, margin=10 * mm) == []
