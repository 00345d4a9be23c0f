"""`torelik pki demo-ca`: the demo people's keys, one revoked, with a table to read."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from torelik.identity.demo_pki import DEMO_PEOPLE, ensure_demo_people
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError, verify_detached
from torelik.identity.models import OrganisationMember
from torelik.identity.pki import DEMO_PASSWORD, IssuedCertificate, KeyPurpose, sign_detached


def test_demo_ca_writes_an_auth_and_a_sign_key_for_each_demo_person(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("pki", "demo-ca", "--dir", str(tmp_path), stdout=out)
    table = out.getvalue()
    assert "Qwerty12" in table
    assert "REVOKED" in table
    for person in DEMO_PEOPLE:
        assert person.iin in table
        for purpose in KeyPurpose:
            assert (tmp_path / f"{person.iin}-{purpose.value}.p12").exists()
    assert (tmp_path / "root.pem").exists()
    assert (tmp_path / "crl.der").exists()
    # Run again: the same keys stay.
    before = (tmp_path / f"{DEMO_PEOPLE[0].iin}-sign.p12").read_bytes()
    call_command("pki", "demo-ca", "--dir", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / f"{DEMO_PEOPLE[0].iin}-sign.p12").read_bytes() == before


def test_the_demo_company_key_carries_the_bin_and_the_role(tmp_path: Path) -> None:
    call_command("pki", "demo-ca", "--dir", str(tmp_path), stdout=io.StringIO())
    company = next(person for person in DEMO_PEOPLE if person.bin)
    issued = IssuedCertificate.from_pkcs12((tmp_path / f"{company.iin}-sign.p12").read_bytes(), DEMO_PASSWORD)
    from torelik.identity.eds import describe_signer

    signer = describe_signer(issued.certificate, purpose=KeyPurpose.SIGNING, signed_at=None)
    assert (signer.iin, signer.bin, signer.role) == (company.iin, "940140000385", "first_head")


def test_the_default_demo_ca_refuses_the_revoked_demo_key() -> None:
    call_command("pki", "demo-ca", stdout=io.StringIO())  # the test process's TORELIK_PKI_DIR, which is trusted
    from torelik.identity.pki import default_directory

    revoked = next(person for person in DEMO_PEOPLE if person.revoke_signing)
    path = default_directory() / f"{revoked.iin}-sign.p12"
    issued = IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
    with pytest.raises(SignatureRefusedError) as raised:
        verify_detached(b"claim", sign_detached(b"claim", issued), purpose=KeyPurpose.SIGNING)
    assert raised.value.code == SignatureRefusal.REVOKED
    auth = IssuedCertificate.from_pkcs12((default_directory() / f"{revoked.iin}-auth.p12").read_bytes(), DEMO_PASSWORD)
    assert verify_detached(b"x", sign_detached(b"x", auth), purpose=KeyPurpose.AUTHENTICATION).iin == revoked.iin


@pytest.mark.django_db
def test_demo_people_rows() -> None:
    people = ensure_demo_people()
    assert [person.iin for person in people] == [person.iin for person in DEMO_PEOPLE]
    assert OrganisationMember.objects.get().organisation.bin == "940140000385"
    assert ensure_demo_people() == people
