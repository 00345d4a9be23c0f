"""Certificates from this test process's demo CA (settings.TORELIK_PKI_DIR is a fresh temporary directory)."""

import pytest

from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose

# Public test values from the domain file (valid check digits).
CITIZEN_IIN = "871008401427"
EMPLOYEE_IIN = "760212350620"
COMPANY_BIN = "940140000385"


@pytest.fixture(scope="session")
def demo_ca() -> DemoCA:
    return DemoCA.load_or_create()


@pytest.fixture(scope="session")
def citizen_sign(demo_ca: DemoCA) -> IssuedCertificate:
    return demo_ca.issue_person(
        iin=CITIZEN_IIN, surname="Ахметов", given_name="Ерлан", patronymic="Серикович", purpose=KeyPurpose.SIGNING
    )


@pytest.fixture(scope="session")
def citizen_auth(demo_ca: DemoCA) -> IssuedCertificate:
    return demo_ca.issue_person(
        iin=CITIZEN_IIN,
        surname="Ахметов",
        given_name="Ерлан",
        patronymic="Серикович",
        purpose=KeyPurpose.AUTHENTICATION,
    )


@pytest.fixture(scope="session")
def employee_sign(demo_ca: DemoCA) -> IssuedCertificate:
    return demo_ca.issue_person(
        iin=EMPLOYEE_IIN,
        surname="Иванова",
        given_name="Анна",
        purpose=KeyPurpose.SIGNING,
        bin=COMPANY_BIN,
        role="first_head",
        organisation="ТОО «Дала»",
    )
