"""The demo people's certificates: `torelik pki demo-ca` and `seed_demo_certificates()`.

IINs and the BIN are the public test values of the domain file (valid check digits; digit 7 gives
the sex). Every PKCS#12 file has the password `Qwerty12`, as NCA's test keys do.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from torelik.core import clock
from torelik.identity.actions import bind_staff_signature
from torelik.identity.models import Organisation, OrganisationMember, Person, User
from torelik.identity.pki import DEMO_PASSWORD, DemoCA, EmployeeRole, IssuedCertificate, KeyPurpose


@dataclass(frozen=True)
class DemoPerson:
    key: str
    iin: str
    surname: str
    given_name: str
    patronymic: str
    description: str
    bin: str | None = None
    organisation: str = ""
    role: EmployeeRole | None = None
    revoke_signing: bool = False


DEMO_PEOPLE = (
    DemoPerson("citizen", "871008401427", "Ахметова", "Айгерим", "Сериковна", "citizen"),
    DemoPerson(
        "company",
        "800416300257",
        "Сейткали",
        "Данияр",
        "Маратович",
        "company director",
        bin="940140000385",
        organisation="ТОО «Дала Агро»",
        role=EmployeeRole.FIRST_HEAD,
    ),
    DemoPerson("lawyer", "760212350620", "Касымов", "Нурлан", "Бекович", "lawyer"),
    DemoPerson(
        "revoked",
        "680503450037",
        "Жумабаева",
        "Гульнара",
        "Ахметовна",
        "citizen, SIGN revoked",
        revoke_signing=True,
    ),
)


@dataclass(frozen=True)
class DemoCertificateFile:
    person: DemoPerson
    purpose: KeyPurpose
    path: Path
    revoked: bool
    serial: str


def p12_path(directory: Path, iin: str, purpose: KeyPurpose) -> Path:
    return directory / f"{iin}-{purpose.value}.p12"


def seed_demo_certificates(directory: Path | None = None) -> list[DemoCertificateFile]:
    """The demo CA and, for each demo person, an AUTH and a SIGN PKCS#12 (kept if already there),
    one SIGN certificate revoked and the CRL rewritten. Files only; see `ensure_demo_people` for rows."""
    ca = DemoCA.load_or_create(directory)
    files = []
    for person in DEMO_PEOPLE:
        for purpose in KeyPurpose:
            path = p12_path(ca.directory, person.iin, purpose)
            if path.exists():
                issued = IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
            else:
                issued = ca.issue_person(
                    iin=person.iin,
                    surname=person.surname,
                    given_name=person.given_name,
                    patronymic=person.patronymic,
                    purpose=purpose,
                    bin=person.bin,
                    role=person.role,
                    organisation=person.organisation,
                    valid_days=365 * 3,
                )
                path.write_bytes(issued.pkcs12(DEMO_PASSWORD))
                path.chmod(0o600)
            revoked = person.revoke_signing and purpose is KeyPurpose.SIGNING
            if revoked:
                ca.revoke(issued.certificate)
            files.append(
                DemoCertificateFile(person, purpose, path, revoked, format(issued.certificate.serial_number, "x"))
            )
    return files


@transaction.atomic
def ensure_demo_people() -> list[Person]:
    """The demo people (and the company with its director) as rows, so demo filings can name them."""
    people = []
    for demo in DEMO_PEOPLE:
        person, _ = Person.objects.get_or_create(
            iin=demo.iin,
            defaults={"surname": demo.surname, "given_name": demo.given_name, "patronymic": demo.patronymic},
        )
        people.append(person)
        if demo.bin:
            organisation, _ = Organisation.objects.get_or_create(bin=demo.bin, defaults={"name": demo.organisation})
            OrganisationMember.objects.get_or_create(
                person=person,
                organisation=organisation,
                defaults={"role": demo.role or "", "confirmed_at": clock.now()},
            )
    return people


#: The demo staff who log in with their signature (ADR 0082): the main demo court's judge and clerk.
DEMO_SIGNATURE_STAFF = ("demo.judge", "demo.clerk")


def seed_demo_staff_signatures(directory: Path | None = None) -> list[tuple[str, str]]:
    """For each of DEMO_SIGNATURE_STAFF: AUTH and SIGN PKCS#12 files of the account's own person from
    the demo CA (kept if already there), and the account bound to that person's IIN, so that
    `torelik dev-signer --iin IIN` logs them in. The (username, IIN) pairs."""
    ca = DemoCA.load_or_create(directory)
    bound = []
    for user in User.objects.filter(username__in=DEMO_SIGNATURE_STAFF, person__isnull=False).select_related("person"):
        person = user.person
        assert person is not None  # noqa: S101 - filtered above
        for purpose in KeyPurpose:
            path = p12_path(ca.directory, person.iin, purpose)
            if not path.exists():
                issued = ca.issue_person(
                    iin=person.iin,
                    surname=person.surname,
                    given_name=person.given_name,
                    patronymic=person.patronymic,
                    purpose=purpose,
                    valid_days=365 * 3,
                )
                path.write_bytes(issued.pkcs12(DEMO_PASSWORD))
                path.chmod(0o600)
        bind_staff_signature(user=user, iin=person.iin, actor=None, reason="demo")
        bound.append((user.username, person.iin))
    return bound
