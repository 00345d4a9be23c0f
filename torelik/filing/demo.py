"""Demo e-filings: demo citizens, a company (with its employee) and a lawyer with accounts for the
Judicial Office, signing certificates from the demo CA, and filings in every status across the
channels (Judicial Office, e-government portal, Public Service Centre) made through the real actions:
drafts, fees paid in the sandbox, manifests signed with the demo keys, cases registered and drawn,
then accepted, returned, left without motion or refused by the system with a reason."""

import datetime as dt
import hashlib
import io
import logging
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from torelik.cases.actions import change_status
from torelik.cases.models import Case, CaseStatus, Channel
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.fonts import FONT, REGULAR, FontMissingError, register_fonts
from torelik.core.tokens import token_digest
from torelik.courts.demo import DEMO_PASSWORD as DEMO_STAFF_PASSWORD
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    JudgeSpecialisation,
    ProceedingType,
    Specialisation,
    StaffPosition,
    StaffRole,
)
from torelik.distribution.actions import complete_pending_draws
from torelik.filing import actions, queries
from torelik.filing.actions import SandboxGateway, sign_body
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import ApiClient, AttachmentRole, Filing, FilingKind, Representation
from torelik.identity.demo_pki import DEMO_PEOPLE, DemoPerson, ensure_demo_people, p12_path, seed_demo_certificates
from torelik.identity.models import AccountKind, Person, User
from torelik.identity.pki import DEMO_PASSWORD, DemoCA, IssuedCertificate, KeyPurpose, sign_detached
from torelik.notifications.models import Message

logger = logging.getLogger(__name__)
# How far in the past the demo filings are sent: their draws are completed up to 3 minutes later,
# and the demo keys are valid from 5 minutes before they were made.
REPLAY = dt.timedelta(minutes=4)


def _demo(key: str) -> DemoPerson:
    return next(person for person in DEMO_PEOPLE if person.key == key)


# The demo people of the EDS demo CA (torelik/identity/demo_pki.py): a citizen, a company director,
# a lawyer, and a citizen whose SIGN certificate is revoked (the lawyer files for her).
CITIZEN = _demo("citizen")
DIRECTOR = _demo("company")
LAWYER = _demo("lawyer")
CLIENT = _demo("revoked")
OTHER_BIN = "950341000052"
OTHER_NAME = 'АО "Казахтелеком Сервис"'
OTHER_IIN = "791028302728"
PSC_OPERATOR_IIN = "061211600012"
CLIENT_PHONE = "+7 701 555 00 37"  # the demo citizen who files at the Public Service Centre
# The e-government portal's credential in the demo (published, like the demo passwords).
DEMO_EGOV_TOKEN = "demo-egov-portal-token"  # noqa: S105 - a documented demo value, never a real one


@dataclass
class FilingSeedSummary:
    filings: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def demo_filings_exist() -> bool:
    return Filing.objects.filter(created_by__username__startswith="iin").exists()


def _pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    try:
        register_fonts("demo filing", REGULAR)
        canvas.setFont(FONT, 12)
    except FontMissingError:
        text = text.encode("ascii", "replace").decode()
    for number, line in enumerate(text.splitlines()):
        canvas.drawString(72, 760 - 18 * number, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _account(person: DemoPerson) -> User:
    row = Person.objects.get(iin=person.iin)
    user = User.objects.filter(person=row).first()
    if user is None:
        user = User(username=f"iin{person.iin}", person=row, kind=AccountKind.CITIZEN)
        user.set_unusable_password()  # citizens log in with their digital signature
        user.save()
    return user


def _court_and_category() -> tuple[Court, CaseCategory] | None:
    civil_courts = (
        Court.objects.filter(kind=CourtKind.DISTRICT, is_active=True, judges__is_active=True)
        .filter(judges__in=JudgeSpecialisation.objects.filter(specialisation=Specialisation.CIVIL).values("judge_id"))
        .distinct()
        .order_by("code")
    )
    court = civil_courts.first()
    category = (
        CaseCategory.objects.filter(code="142010000600000000", is_active=True).first()
        or CaseCategory.objects.filter(proceeding_type=ProceedingType.CIVIL, is_active=True).order_by("code").first()
    )
    if court is None or category is None:
        return None
    return court, category


def _psc_operator(court: Court) -> User:
    """`psc.operator` (password `torelik-demo` with DEBUG, like the demo staff): a Public Service
    Centre operator, placed at the court whose district the centre serves."""
    person, _created = Person.objects.get_or_create(
        iin=PSC_OPERATOR_IIN, defaults={"surname": "Беккали", "given_name": "Асель", "patronymic": "Нурлановна"}
    )
    user = User(username="psc.operator", person=person, kind=AccountKind.STAFF)
    if settings.DEBUG:
        user.set_password(DEMO_STAFF_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    StaffPosition.objects.create(user=user, court=court, role=StaffRole.PSC_OPERATOR)
    return user


class _Keys:
    """The demo people's SIGN keys: the PKCS#12 files of the demo CA (`torelik pki demo-ca`)."""

    def __init__(self) -> None:
        seed_demo_certificates()
        self.directory = DemoCA.load_or_create().directory

    def key(self, person: DemoPerson) -> IssuedCertificate:
        path = p12_path(self.directory, person.iin, KeyPurpose.SIGNING)
        return IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)


def _pay(filing: Filing) -> None:
    if queries.fee_settled(filing):
        return
    payment, _url = actions.start_payment(
        filing=filing, actor=None, callback_url="/api/v1/payments/sandbox/callback", return_url="/"
    )
    sandbox = SandboxGateway()
    charge = sandbox.charge(order_id=payment.order_id, card_number="4242424242424242")
    if charge is not None:
        body = sandbox.callback_body(charge)
        actions.record_payment_callback(gateway_name="sandbox", body=body, signature=sign_body(body, sandbox.secret))


def _claim(
    *,
    user: User | None,
    filer: DemoPerson,
    court: Court,
    category: CaseCategory,
    rng: random.Random,
    channel: str,
    api_client: ApiClient | None = None,
    on_behalf_of: str = "",
    filer_bin: str = "",
) -> Filing:
    amount = Decimal(rng.randrange(200, 9000) * 1000)
    filing = actions.start_draft(
        kind=FilingKind.CLAIM, filer_iin=filer.iin, actor=user, channel=channel, api_client=api_client
    )
    defendant = rng.choice(
        [
            {"role": "defendant", "bin": OTHER_BIN, "organisation_name": OTHER_NAME},
            {"role": "defendant", "iin": OTHER_IIN, "surname": "Жумабаев", "given_name": "Нурлан"},
        ]
    )
    if defendant.get("iin") == (on_behalf_of or filer.iin):
        defendant = {"role": "defendant", "bin": OTHER_BIN, "organisation_name": OTHER_NAME}
    actions.update_draft(
        filing=filing,
        actor=user,
        court_code=court.code,
        category_code=category.code,
        subject=f"О взыскании задолженности в размере {amount:,.0f} тенге".replace(",", " "),
        claim_amount=str(amount),
        filer_bin=filer_bin,
        on_behalf_of_iin=on_behalf_of,
        data={
            "claims": f"Взыскать с ответчика {amount:,.0f} тенге основного долга".replace(",", " "),
            "circumstances": "Ответчик не исполнил обязательство по договору в установленный срок.",
            "parties": [defendant],
            "filer_organisation_name": DIRECTOR.organisation if filer_bin else "",
        },
    )
    actions.add_attachment(
        filing=filing,
        actor=user,
        content=io.BytesIO(_pdf(f"Исковое заявление\n{filing.subject}\nИстец: {filer.surname} {filer.given_name}")),
        filename="iskovoe-zayavlenie.pdf",
        role=AttachmentRole.FILING,
        title="Исковое заявление",
        page_count=2,
    )
    actions.add_attachment(
        filing=filing,
        actor=user,
        content=io.BytesIO(_pdf("Договор и акт сверки")),
        filename="dogovor.pdf",
        role=AttachmentRole.EVIDENCE,
        title="Договор",
    )
    filing.refresh_from_db()
    return filing


def _send_signed(filing: Filing, key: IssuedCertificate, user: User | None) -> Filing:
    """Sign the manifest with the demo key and send it. The demo does not re-verify the signature
    against the trust store (the demo CA is trusted only with DEBUG or TORELIK_EDS_TRUST_DEMO_CA)."""
    manifest = canonical_manifest(filing)
    signature = sign_detached(manifest, key)
    try:
        return actions.submit_filing(filing=filing, signature=signature, actor=user)
    except DomainError as error:
        if error.code != "signature_refused":
            raise
    certificate = key.certificate
    name = certificate.subject.rfc4514_string()
    return actions.send_to_court(
        filing=filing,
        manifest=manifest,
        signature=signature,
        signature_sha256=hashlib.sha256(signature).hexdigest(),
        signer_iin=filing.filer_iin,
        signer_name=name,
        actor=user,
    )


def _send_demo_filings(
    court: Court,
    category: CaseCategory,
    rng: random.Random,
    keys: "_Keys",
    users: tuple[User, User, User, ApiClient, User],
) -> list[Filing]:
    """A draft waiting for its fee, and the filings sent to the court by every channel."""
    citizen, director, lawyer, egov, psc_operator = users
    # A draft that waits for its fee, kept as it is.
    _claim(user=citizen, filer=CITIZEN, court=court, category=category, rng=rng, channel=Channel.JUDICIAL_OFFICE)
    sent: list[Filing] = []
    plans: list[tuple[User | None, DemoPerson, str, ApiClient | None, str, str]] = [
        (citizen, CITIZEN, Channel.JUDICIAL_OFFICE, None, "", ""),
        (citizen, CITIZEN, Channel.JUDICIAL_OFFICE, None, "", ""),
        (None, CITIZEN, Channel.EGOV, egov, "", ""),
        (None, DIRECTOR, Channel.EGOV, egov, "", DIRECTOR.bin or ""),
        (lawyer, LAWYER, Channel.JUDICIAL_OFFICE, None, CLIENT.iin, ""),
        (director, DIRECTOR, Channel.JUDICIAL_OFFICE, None, "", DIRECTOR.bin or ""),
    ]
    for user, person, channel, client, on_behalf_of, filer_bin in plans:
        filing = _claim(
            user=user,
            filer=person,
            court=court,
            category=category,
            rng=rng,
            channel=channel,
            api_client=client,
            on_behalf_of=on_behalf_of,
            filer_bin=filer_bin,
        )
        _pay(filing)
        sent.append(_send_signed(filing, keys.key(person), user))
    if psc_operator is not None:
        # The code goes only to the phone on the citizen's record (an invented number of the demo).
        Person.objects.filter(iin=CLIENT.iin, phone="").update(phone=CLIENT_PHONE)
        filing = _claim(user=psc_operator, filer=CLIENT, court=court, category=category, rng=rng, channel=Channel.PSC)
        _pay(filing)
        actions.send_psc_code(filing=filing, operator=psc_operator)
        # The citizen reads back the code from the SMS (in the outbox).
        code = str(
            Message.objects.filter(cause__startswith=f"psc-filing:{filing.public_id}:")
            .values_list("payload__code", flat=True)
            .first()
        )
        sent.append(actions.confirm_psc_filing(filing=filing, operator=psc_operator, code=code))
    return sent


def seed_demo_filings(seed: int) -> FilingSeedSummary:
    """Create the demo filers and their filings once (a no-op when they exist)."""
    summary = FilingSeedSummary()
    if demo_filings_exist():
        return summary
    place = _court_and_category()
    if place is None:
        logger.warning("no district court with civil judges: demo filings skipped")
        return summary
    court, category = place
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    keys = _Keys()
    ensure_demo_people()
    with transaction.atomic():
        citizen, director, lawyer = _account(CITIZEN), _account(DIRECTOR), _account(LAWYER)
        _account(CLIENT)
        if not Representation.objects.filter(representative_iin=LAWYER.iin, client_iin=CLIENT.iin).exists():
            # Valid from the day the replay below starts on: a few minutes after midnight in Almaty that
            # is yesterday, and a power of attorney of today would not cover the lawyer's filing.
            with clock.frozen_at(clock.now() - REPLAY):
                replay_day = clock.today()
            actions.register_representation(
                representative_iin=LAWYER.iin,
                client_iin=CLIENT.iin,
                valid_from=replay_day,
                power_of_attorney=io.BytesIO(_pdf("Доверенность")),
                filename="doverennost.pdf",
            )
        egov = ApiClient.objects.filter(name="egov.kz (demo)").first()
        if egov is None and settings.DEBUG:
            egov = ApiClient.objects.create(name="egov.kz (demo)", token_sha256=token_digest(DEMO_EGOV_TOKEN))
        egov = egov or actions.create_api_client(name="egov.kz (demo)")[0]
        psc_operator = User.objects.filter(positions__role=StaffRole.PSC_OPERATOR).first() or _psc_operator(court)

    # The filings are sent a few minutes in the past (a replay, as the demo cases are) so that their
    # draws can be completed, minute by minute, before the real moment: a beacon value is never
    # published before its time (issue #30).
    start = clock.now() - REPLAY
    with clock.frozen_at(start):
        sent = _send_demo_filings(court, category, rng, keys, (citizen, director, lawyer, egov, psc_operator))
    # The draws (their beacon round is out a moment later), then the judges' first rulings.
    # A draw that waited for eligible judges is committed again and completed on the next pass.
    for minutes in (1, 2, 3):
        with clock.frozen_at(start + dt.timedelta(minutes=minutes)):
            complete_pending_draws()
    outcomes = [
        (CaseStatus.ACCEPTED, ""),
        (CaseStatus.RETURNED, "Дело неподсудно данному суду (ГПК РК ст. 152)"),
        (CaseStatus.LEFT_WITHOUT_MOTION, "Не приложен документ об оплате госпошлины в полном объёме (ГПК РК ст. 152)"),
        (CaseStatus.REFUSED, "Имеется вступившее в силу решение по тому же спору (ГПК РК ст. 151)"),
    ]
    for filing, (status, reason) in zip(sent[1:], outcomes, strict=False):
        case = Case.objects.get(pk=filing.case_id) if filing.case_id else None
        if case is not None and case.status == CaseStatus.ASSIGNED:
            change_status(case=case, to=status, actor=None, reason=reason)
    # A petition into the first case, by its claimant.
    first_case = sent[0].case if sent else None
    if first_case is not None:
        petition = actions.start_draft(kind=FilingKind.PETITION, filer_iin=CITIZEN.iin, actor=citizen)
        actions.update_draft(
            filing=petition,
            actor=citizen,
            case_number=first_case.number,
            data={"request": "Прошу провести заседание с использованием видеоконференцсвязи."},
        )
        actions.add_attachment(
            filing=petition,
            actor=citizen,
            content=io.BytesIO(_pdf("Ходатайство о ВКС")),
            filename="hodataystvo.pdf",
            role=AttachmentRole.FILING,
        )
        petition.refresh_from_db()
        _send_signed(petition, keys.key(CITIZEN), citizen)
    for filing in Filing.objects.all():
        summary.filings += 1
        summary.by_status[filing.status] = summary.by_status.get(filing.status, 0) + 1
    return summary
