"""A court of three civil judges, citizens with accounts, and certificates from a throw-away demo CA."""

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    DEFENDANT_IIN,
    CourtOffice,
    court_office,
    ensure_claim_document_type,
    pdf_bytes,
)
from torelik.core import clock
from torelik.courts.models import Judge, JudgeSpecialisation, Specialisation
from torelik.courts.tests.factories import JudgeFactory
from torelik.filing import actions
from torelik.filing.models import AttachmentRole, Filing, FilingKind
from torelik.identity.models import AccountKind, Person, User
from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose

FILED = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
LAWYER_IIN = "800416300257"


@dataclass
class Court3:
    office: CourtOffice
    judges: list[Judge]


@pytest.fixture
def court3(db: None) -> Court3:
    ensure_claim_document_type()
    office = court_office("0215")
    judges = [JudgeFactory.create(court=office.court) for _ in range(3)]
    for judge in judges:
        JudgeSpecialisation.objects.create(judge=judge, specialisation=Specialisation.CIVIL)
    return Court3(office=office, judges=judges)


def citizen(iin: str, surname: str = "Сейткалиева", given_name: str = "Айгуль") -> User:
    person, _created = Person.objects.get_or_create(
        iin=iin, defaults={"surname": surname, "given_name": given_name, "phone": "+77011234567"}
    )
    user, _created = User.objects.get_or_create(
        username=f"iin{iin}", defaults={"person": person, "kind": AccountKind.CITIZEN}
    )
    return user


@pytest.fixture
def claimant(db: None) -> User:
    return citizen(CLAIMANT_IIN)


@pytest.fixture
def defendant_user(db: None) -> User:
    return citizen(DEFENDANT_IIN, "Ахметов", "Ерлан")


@pytest.fixture
def claimant_client(claimant: User) -> Client:
    client = Client()
    client.force_login(claimant)
    return client


@pytest.fixture(scope="session")
def demo_ca(tmp_path_factory: pytest.TempPathFactory) -> DemoCA:
    return DemoCA.load_or_create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def _pki_dir(settings: Any, demo_ca: DemoCA) -> None:
    settings.TORELIK_PKI_DIR = demo_ca.directory
    settings.TORELIK_EDS_TRUST_DEMO_CA = True


_certificates: dict[tuple[str, str, str], IssuedCertificate] = {}


@pytest.fixture
def certificate(demo_ca: DemoCA) -> Callable[..., IssuedCertificate]:
    """A certificate of the demo CA for an IIN (cached for the session: RSA keys take time)."""

    def issue(iin: str = CLAIMANT_IIN, purpose: KeyPurpose = KeyPurpose.SIGNING, bin: str = "") -> IssuedCertificate:  # noqa: A002
        key = (iin, str(purpose), bin)
        if key not in _certificates:
            _certificates[key] = demo_ca.issue_person(
                iin=iin,
                surname="Тестова",
                given_name="Айгуль",
                purpose=purpose,
                bin=bin or None,  # valid in the test CA's window, frozen clock or not (config/settings/test.py)
            )
        return _certificates[key]

    return issue


def claim_parties() -> list[dict[str, str]]:
    return [
        {"role": "defendant", "bin": COMPANY_BIN, "organisation_name": 'ТОО "Алатау Строй"', "region": "02"},
    ]


def make_claim_draft(
    office: CourtOffice,
    user: User,
    *,
    claim_amount: str = "1000000",
    filer_iin: str = CLAIMANT_IIN,
    kind: str = FilingKind.CLAIM,
    channel: str = "judicial_office",
) -> Filing:
    filing = actions.start_draft(kind=kind, filer_iin=filer_iin, actor=user, channel=channel)
    problems = actions.update_draft(
        filing=filing,
        actor=user,
        court_code=office.court.code,
        category_code=office.category.code,
        subject="О взыскании долга по договору подряда",
        claim_amount=claim_amount,
        data={"claims": "Взыскать 1 000 000 тенге", "circumstances": "Договор не оплачен", "parties": claim_parties()},
    )
    assert problems == {}
    actions.add_attachment(
        filing=filing,
        actor=user,
        content=io.BytesIO(pdf_bytes("claim")),
        filename="claim.pdf",
        role=AttachmentRole.FILING,
        title="Исковое заявление",
    )
    filing.refresh_from_db()
    return filing


def psc_code_sent(filing: Filing) -> str:
    """The last PSC confirmation code of `filing`, as the SMS in the outbox carries it to the citizen."""
    from torelik.notifications.models import Message  # noqa: PLC0415

    message = Message.objects.filter(cause__startswith=f"psc-filing:{filing.public_id}:").order_by("-id").first()
    assert message is not None, "no confirmation code was sent by SMS"
    return str(message.payload["code"])


def pay_in_sandbox(filing: Filing) -> None:
    """Pay the fee through the sandbox, its callback going straight to the action (no HTTP)."""
    from torelik.filing.actions import SandboxGateway, sign_body  # noqa: PLC0415

    payment, _url = actions.start_payment(
        filing=filing, actor=None, callback_url="http://testserver/api/v1/payments/sandbox/callback", return_url="/"
    )
    sandbox = SandboxGateway()
    charge = sandbox.charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None
    body = sandbox.callback_body(charge)
    actions.record_payment_callback(gateway_name="sandbox", body=body, signature=sign_body(body, sandbox.secret))


@pytest.fixture
def frozen() -> Iterator[dt.datetime]:
    with clock.frozen_at(FILED) as moment:
        yield moment


@pytest.fixture
def mci_2026(db: None) -> None:
    """A transactional test may find the tables emptied by an earlier one: the MCI of 2026
    (4,325 ₸, shared/domain/kazakhstan.md) and the document types the migrations load are put back."""
    from torelik.cases.models import DocumentDirection, DocumentType  # noqa: PLC0415
    from torelik.core.models import MonthlyCalculationIndex  # noqa: PLC0415

    MonthlyCalculationIndex.objects.get_or_create(
        effective_from=dt.date(2026, 1, 1),
        defaults={
            "amount": Decimal("4325.00"),
            "legal_basis": "Закон РК «О республиканском бюджете на 2026–2028 годы»",
        },
    )
    ensure_claim_document_type()
    for code, name in (("petition", "Ходатайство"), ("evidence", "Доказательство"), ("other", "Иное")):
        DocumentType.objects.get_or_create(
            code=code,
            defaults={"name_kk": name, "name_ru": name, "name_en": code, "direction": DocumentDirection.INCOMING},
        )
