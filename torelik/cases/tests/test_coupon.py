"""The registration coupon (PDF, read back with poppler's pdftotext) and its public check."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import segno
from django.test import Client
from reportlab.graphics.shapes import Rect

from conftest import skip_or_fail
from torelik.cases import coupon
from torelik.cases.actions import coupon_secret, register_case
from torelik.cases.models import Case
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.identity.models import AccountKind, Person, User

pytestmark = pytest.mark.django_db

# 05:00 UTC is 10:00 in Astana (UTC+5).
MARCH_2026 = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)


@pytest.fixture
def office() -> CourtOffice:
    return court_office("0215")


@pytest.fixture
def case(office: CourtOffice) -> Case:
    with clock.frozen_at(MARCH_2026):
        return register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
            claim_amount=Decimal("1500000"),
            consent_sms=True,
        )


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("poppler's pdftotext is not installed: apt-get install poppler-utils")
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode()


def _coupon(client: Client, case: Case, language: str) -> bytes:
    response = client.get(f"/{language}/cases/{case.number}/coupon.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="coupon-0215-26-00-2-1.pdf"'
    return response.content


def test_the_coupon_in_russian_names_the_court_the_case_what_was_received_and_the_consents(
    client: Client, office: CourtOffice, case: Case
) -> None:
    client.force_login(office.clerk)
    text = pdf_text(_coupon(client, case, "ru"))
    flat = " ".join(text.split())
    assert "0215-26-00-2/1" in flat
    assert "Бурабайский районный суд" in flat
    assert "02.03.2026 10:00 (UTC+05:00)" in flat
    assert "Исковое заявление" in flat  # the document type, in Russian
    assert "Сейткалиева Айгуль Маратовна" in flat
    assert 'ТОО "Алатау Строй"' in flat
    assert "1 500 000,00" in flat.replace("\xa0", " ")  # Russian writes a decimal comma, the page and the coupon alike
    assert office.clerk.person is not None
    assert office.clerk.person.full_name in flat
    assert CLAIMANT_IIN not in flat  # the coupon names the parties; identifiers stay in the case file
    case.refresh_from_db()
    assert len(case.coupon_secret) >= 20  # drawn when the coupon was first printed
    verify_url = f"http://testserver/ru/cases/verify/{case.public_id}/{case.coupon_secret}/"
    assert verify_url in "".join(text.split())


def test_the_coupon_under_kk_speaks_kazakh(client: Client, office: CourtOffice, case: Case) -> None:
    client.force_login(office.clerk)
    flat = " ".join(pdf_text(_coupon(client, case, "kk")).split())
    assert office.court.name_kk in flat  # "Бурабай аудандық соты …"
    assert re.search("[әқңөұүһі]", flat)
    assert "Талап арыз" in flat  # the document type, in Kazakh
    assert ": иә" in flat
    assert ": жоқ" in flat
    case.refresh_from_db()
    assert f"/kk/cases/verify/{case.public_id}/{case.coupon_secret}/" in "".join(flat.split())


def test_only_staff_of_the_court_print_the_coupon(client: Client, office: CourtOffice, case: Case) -> None:
    citizen = User.objects.create_user(
        username="aigul", person=Person.objects.get(iin=CLAIMANT_IIN), kind=AccountKind.CITIZEN
    )
    client.force_login(citizen)
    assert client.get(f"/ru/cases/{case.number}/coupon.pdf").status_code == 403
    client.force_login(court_office("0216").clerk)
    assert client.get(f"/ru/cases/{case.number}/coupon.pdf").status_code == 404


def test_anyone_checks_a_coupon_without_seeing_personal_data(client: Client, case: Case) -> None:
    response = client.get(f"/ru/cases/verify/{case.public_id}/{coupon_secret(case)}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "0215-26-00-2/1" in page
    assert "Бурабайский районный суд" in page
    assert "02.03.2026 10:00 (UTC+05:00)" in page
    assert "Исковое заявление" in page
    for personal in (CLAIMANT_IIN, COMPANY_BIN, "Сейткалиева", "Алатау", "+77011234567", "claim.pdf"):
        assert personal not in page


def test_an_unknown_coupon_code_is_404(client: Client, case: Case) -> None:
    assert client.get("/ru/cases/verify/00000000-0000-4000-8000-000000000000/x/").status_code == 404


def test_the_public_id_that_distribution_protocols_publish_does_not_open_the_coupon(client: Client, case: Case) -> None:
    coupon_secret(case)
    assert client.get(f"/ru/cases/verify/{case.public_id}/").status_code == 404
    assert client.get(f"/ru/cases/verify/{case.public_id}/{'A' * 22}/").status_code == 404


def test_the_qr_code_is_drawn_module_for_module() -> None:
    url = "https://torelik.example/kk/cases/verify/6f1c2b7e-0000-4000-8000-000000000001/"
    drawing = coupon.qr_drawing(url, size=100)
    symbol = segno.make(url, error="m", micro=False)
    width = symbol.symbol_size(scale=1, border=0)[0] + 2 * coupon.QR_QUIET_ZONE
    module = 100 / width
    drawn = set()
    for rect in drawing.contents:
        assert isinstance(rect, Rect)
        column, row = round(rect.x / module), width - 1 - round(rect.y / module)
        drawn |= {(row, column + i) for i in range(round(rect.width / module))}
    dark = {
        (row + coupon.QR_QUIET_ZONE, column + coupon.QR_QUIET_ZONE)
        for row, line in enumerate(symbol.matrix)
        for column, value in enumerate(line)
        if value
    }
    assert drawn == dark


def test_dark_runs() -> None:
    assert coupon.dark_runs([0, 1, 1, 0, 1]) == [(1, 2), (4, 1)]
    assert coupon.dark_runs([1, 1, 1]) == [(0, 3)]
    assert coupon.dark_runs([]) == []
