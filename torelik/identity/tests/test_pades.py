"""The court's PAdES seal on PDFs (subpoenas, judicial acts)."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfgen import canvas

from torelik.identity.pades import check_pdf_seals, court_seal, seal_pdf
from torelik.identity.pki import DemoCA, KeyPurpose


def a_pdf(text: str = "Повестка / Subpoena") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_sealed_pdf_validates_and_names_the_court() -> None:
    seal = court_seal("751110", "Специализированный межрайонный экономический суд города Астаны")
    sealed = seal_pdf(a_pdf(), signer=seal, reason="Судебная повестка", location="Астана")
    [checked] = check_pdf_seals(sealed)
    assert checked.ok
    assert (checked.intact, checked.valid, checked.trusted) == (True, True, True)
    assert checked.signer_organisation == "Специализированный межрайонный экономический суд города Астаны"
    assert checked.signer_common_name == "Специализированный межрайонный эк"  # 64 bytes of it
    assert checked.field_name == "CourtSeal"
    assert checked.covers_whole_document
    assert checked.signed_at is not None


def test_the_court_seal_is_kept_per_court() -> None:
    first = court_seal("751110", "Суд")
    again = court_seal("751110", "Суд")
    other = court_seal("751120", "Другой суд")
    assert first.certificate == again.certificate
    assert other.certificate != first.certificate


def test_a_pdf_changed_after_sealing_fails() -> None:
    sealed = seal_pdf(a_pdf(), signer=court_seal("751110", "Суд"))
    position = sealed.index(b"stream") + 20  # a byte of the page content, inside the signed range
    tampered = sealed[:position] + bytes([sealed[position] ^ 0x01]) + sealed[position + 1 :]
    [checked] = check_pdf_seals(tampered)
    assert not checked.intact
    assert not checked.ok


def test_a_pdf_with_an_update_appended_after_sealing_fails() -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    sealed = seal_pdf(a_pdf(), signer=court_seal("751110", "Суд"))
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    writer.root["/Forged"] = generic.NameObject("/Yes")
    writer.update_root()  # type: ignore[no-untyped-call]
    output = io.BytesIO()
    writer.write(output)  # type: ignore[no-untyped-call]
    [checked] = check_pdf_seals(output.getvalue())
    assert not checked.ok


def test_a_second_seal_keeps_the_first_valid() -> None:
    once = seal_pdf(a_pdf(), signer=court_seal("751110", "Суд"))
    twice = seal_pdf(once, signer=court_seal("751120", "Другой суд"), field_name="SecondSeal")
    assert [(seal.field_name, seal.ok) for seal in check_pdf_seals(twice)] == [
        ("CourtSeal", True),
        ("SecondSeal", True),
    ]


def test_a_seal_by_an_untrusted_ca_is_not_trusted(tmp_path: Path) -> None:
    stranger = DemoCA.load_or_create(tmp_path / "another-ca").issue_court_seal(
        court_code="1", court_name="Фальшивый суд"
    )
    [checked] = check_pdf_seals(seal_pdf(a_pdf(), signer=stranger))
    assert checked.intact
    assert not checked.trusted


def test_an_unsealed_or_broken_pdf_has_no_seals() -> None:
    assert check_pdf_seals(a_pdf()) == []
    assert check_pdf_seals(b"not a pdf") == []


def test_a_persons_signing_key_can_sign_a_pdf_too() -> None:
    issued = DemoCA.load_or_create().issue_person(
        iin="871008401427", surname="Ахметов", given_name="Ерлан", purpose=KeyPurpose.SIGNING
    )
    [checked] = check_pdf_seals(seal_pdf(a_pdf(), signer=issued, field_name="Signature1"))
    assert checked.ok
    assert checked.signer_common_name == "Ахметов Ерлан"


def test_in_production_the_court_seal_comes_from_a_pkcs12_file(tmp_path: Path, settings: Any) -> None:
    issued = DemoCA.load_or_create().issue_court_seal(court_code="751199", court_name="Суд")
    (tmp_path / "751199.p12").write_bytes(issued.pkcs12(b"seal-password"))
    settings.TORELIK_COURT_SEAL_DIR = str(tmp_path)
    settings.TORELIK_COURT_SEAL_PASSWORD = "seal-password"
    assert court_seal("751199", "Суд").certificate == issued.certificate
    with pytest.raises(ImproperlyConfigured):
        court_seal("000000", "Нет такого суда")


def test_without_seal_files_and_without_the_demo_ca_there_is_no_seal(settings: Any) -> None:
    settings.TORELIK_COURT_SEAL_DIR = ""
    settings.TORELIK_EDS_TRUST_DEMO_CA = False
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        court_seal("751110", "Суд")
