"""Factories and helpers for case-file tests."""

import io
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from torelik.cases.actions import DocumentInput, PartyInput
from torelik.cases.models import DocumentDirection, DocumentType, PartyRole
from torelik.courts.models import CaseCategory, Court, CourtKind, ProceedingType, Specialisation, StaffRole
from torelik.courts.tests.factories import CaseCategoryFactory, CourtFactory, PersonFactory, RegionFactory
from torelik.identity.models import User

# Public test IINs and BINs (shared/domain/kazakhstan.md).
CLAIMANT_IIN = "871008401427"
DEFENDANT_IIN = "760212350620"
OTHER_IIN = "800416300257"
COMPANY_BIN = "940140000385"


def pdf_bytes(text: str = "Исковое заявление") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 760, text.encode("ascii", "replace").decode())
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def claim_document(text: str = "claim") -> DocumentInput:
    return DocumentInput(
        document_type="claim",
        title="Исковое заявление",
        filename="claim.pdf",
        content=io.BytesIO(pdf_bytes(text)),
        page_count=3,
    )


def claimant_and_defendant() -> list[PartyInput]:
    return [
        PartyInput(
            role=PartyRole.CLAIMANT,
            iin=CLAIMANT_IIN,
            surname="Сейткалиева",
            given_name="Айгуль",
            patronymic="Маратовна",
            phone="+77011234567",
        ),
        PartyInput(role=PartyRole.DEFENDANT, bin=COMPANY_BIN, organisation_name='ТОО "Алатау Строй"'),
    ]


@dataclass
class CourtOffice:
    court: Court
    category: CaseCategory
    clerk: User
    judge_user: User


def staff_user(username: str, court: Court, role: StaffRole) -> User:
    user = User.objects.create_user(username=username, password="a-long-passphrase-1", person=PersonFactory.create())
    user.positions.create(court=court, role=role)
    return user


def court_office(code: str = "0215") -> CourtOffice:
    region = RegionFactory.create(code=code[:2])
    court = CourtFactory.create(code=code, kind=CourtKind.DISTRICT, region=region, name_ru="Бурабайский районный суд")
    category = CaseCategory.objects.filter(code="142030000100000000").first() or CaseCategoryFactory.create(
        code="142030000100000000", proceeding_type=ProceedingType.CIVIL, specialisation=Specialisation.CIVIL
    )
    return CourtOffice(
        court=court,
        category=category,
        clerk=staff_user(f"clerk.{code}", court, StaffRole.CLERK),
        judge_user=staff_user(f"judge.{code}", court, StaffRole.JUDGE),
    )


def ensure_claim_document_type() -> None:
    """A transactional test empties the tables after it: the classifier loaded by migration may be gone."""
    DocumentType.objects.get_or_create(
        code="claim",
        defaults={
            "name_kk": "Талап арыз",
            "name_ru": "Исковое заявление",
            "name_en": "Statement of claim",
            "direction": DocumentDirection.INCOMING,
        },
    )


def registration_body(office: CourtOffice, **overrides: Any) -> dict[str, Any]:
    """The `data` of a paper claim registered through `POST /api/v1/cases`, with `overrides` applied."""
    filing: dict[str, Any] = {
        "court": office.court.code,
        "proceeding_type": "civil",
        "category": office.category.code,
        "subject": "О взыскании задолженности по договору подряда",
        "claim_amount": "1500000.50",
        "consent_sms": True,
        "consent_email": False,
        "parties": [
            {
                "role": "claimant",
                "iin": CLAIMANT_IIN,
                "surname": "Сейткалиева",
                "given_name": "Айгуль",
                "patronymic": "Маратовна",
                "phone": "+77011234567",
                "preferred_language": "ru",
            },
            {"role": "defendant", "bin": COMPANY_BIN, "organisation_name": 'ТОО "Алатау Строй"'},
        ],
        "documents": [{"document_type": "claim", "title": "Исковое заявление", "file": "claim", "page_count": 3}],
    }
    filing.update(overrides)
    return filing
