"""Detached CMS signatures: who signed, and every signature that must be refused."""

import datetime as dt
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import cms
from django.utils import translation

from torelik.core import clock
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError, VerifiedSigner, verify_detached
from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose, sign_detached
from torelik.identity.tests.conftest import CITIZEN_IIN, COMPANY_BIN, EMPLOYEE_IIN

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
MANIFEST = b'{"attachments":[{"sha256":"' + SHA.encode() + b'"}],"kind":"claim"}'


def refusal(content: bytes, signature: bytes, purpose: KeyPurpose) -> str:
    with pytest.raises(SignatureRefusedError) as raised:
        verify_detached(content, signature, purpose=purpose)
    assert raised.value.message  # a translated, human reason
    return raised.value.code


def test_a_citizens_signature_names_the_citizen(citizen_sign: IssuedCertificate) -> None:
    signer = verify_detached(MANIFEST, sign_detached(MANIFEST, citizen_sign), purpose=KeyPurpose.SIGNING)
    assert signer.iin == CITIZEN_IIN
    assert signer.bin is None
    assert (signer.surname, signer.given_name, signer.patronymic) == ("Ахметов", "Ерлан", "Серикович")
    assert signer.common_name == "Ахметов Ерлан"
    assert signer.purpose is KeyPurpose.SIGNING
    assert signer.role is None
    assert signer.certificate_serial == format(citizen_sign.certificate.serial_number, "x")
    assert "Torelik Demo CA" in signer.issuer
    assert signer.signed_at is not None


def test_a_company_employees_signature_names_the_company_and_the_role(employee_sign: IssuedCertificate) -> None:
    signer = verify_detached(MANIFEST, sign_detached(MANIFEST, employee_sign), purpose=KeyPurpose.SIGNING)
    assert (signer.iin, signer.bin, signer.role) == (EMPLOYEE_IIN, COMPANY_BIN, "first_head")
    assert signer.organisation == "ТОО «Дала»"


def test_the_authentication_key_logs_in(citizen_auth: IssuedCertificate) -> None:
    signer = verify_detached(b"challenge", sign_detached(b"challenge", citizen_auth), purpose=KeyPurpose.AUTHENTICATION)
    assert signer.iin == CITIZEN_IIN
    assert signer.purpose is KeyPurpose.AUTHENTICATION


def test_a_base64_signature_is_read_too(citizen_sign: IssuedCertificate) -> None:
    import base64

    signature = base64.b64encode(sign_detached(MANIFEST, citizen_sign))
    assert verify_detached(MANIFEST, signature, purpose=KeyPurpose.SIGNING).iin == CITIZEN_IIN


def test_a_signature_made_by_openssl_verifies(citizen_sign: IssuedCertificate) -> None:
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "manifest.json").write_bytes(MANIFEST)
        (folder / "leaf.pem").write_bytes(citizen_sign.certificate_pem())
        (folder / "leaf.key").write_bytes(citizen_sign.private_key_pem())
        subprocess.run(  # noqa: S603 - fixed arguments
            [  # noqa: S607 - openssl from PATH
                "openssl", "cms", "-sign", "-binary", "-in", str(folder / "manifest.json"),
                "-signer", str(folder / "leaf.pem"), "-inkey", str(folder / "leaf.key"),
                "-md", "sha256", "-outform", "DER", "-out", str(folder / "manifest.p7s"),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )  # fmt: skip
        signature = (folder / "manifest.p7s").read_bytes()
    signer = verify_detached(MANIFEST, signature, purpose=KeyPurpose.SIGNING)
    assert signer.iin == CITIZEN_IIN


def test_other_content_is_refused(citizen_sign: IssuedCertificate) -> None:
    signature = sign_detached(b'{"kind":"claim","amount":100000}', citizen_sign)
    assert refusal(MANIFEST, signature, KeyPurpose.SIGNING) == SignatureRefusal.CONTENT_MISMATCH


def test_tampered_content_is_refused(citizen_sign: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, citizen_sign)
    tampered = MANIFEST.replace(b"9f86", b"0f86")
    assert refusal(tampered, signature, KeyPurpose.SIGNING) == SignatureRefusal.CONTENT_MISMATCH


def test_someone_elses_signature_over_other_content_is_refused(
    citizen_sign: IssuedCertificate, employee_sign: IssuedCertificate
) -> None:
    theirs = sign_detached(b"their own statement", employee_sign)
    assert refusal(MANIFEST, theirs, KeyPurpose.SIGNING) == SignatureRefusal.CONTENT_MISMATCH


def test_garbage_is_refused_as_malformed() -> None:
    assert refusal(MANIFEST, b"not a signature", KeyPurpose.SIGNING) == SignatureRefusal.MALFORMED
    assert refusal(MANIFEST, b"", KeyPurpose.SIGNING) == SignatureRefusal.MALFORMED
    assert refusal(MANIFEST, b"MIIB!!!", KeyPurpose.SIGNING) == SignatureRefusal.MALFORMED


def test_a_revoked_certificate_is_refused(demo_ca: DemoCA) -> None:
    issued = demo_ca.issue_person(iin=CITIZEN_IIN, surname="Ахметов", given_name="Ерлан", purpose=KeyPurpose.SIGNING)
    signature = sign_detached(MANIFEST, issued)
    assert verify_detached(MANIFEST, signature, purpose=KeyPurpose.SIGNING).iin == CITIZEN_IIN
    demo_ca.revoke(issued.certificate)
    assert refusal(MANIFEST, signature, KeyPurpose.SIGNING) == SignatureRefusal.REVOKED


def test_an_expired_certificate_is_refused(demo_ca: DemoCA) -> None:
    issued = demo_ca.issue_person(
        iin=CITIZEN_IIN,
        surname="Ахметов",
        given_name="Ерлан",
        purpose=KeyPurpose.SIGNING,
        not_before=clock.now() - dt.timedelta(days=400),
        valid_days=365,
    )
    assert refusal(MANIFEST, sign_detached(MANIFEST, issued), KeyPurpose.SIGNING) == SignatureRefusal.EXPIRED


def test_an_authentication_key_cannot_sign_a_filing(citizen_auth: IssuedCertificate) -> None:
    signature = sign_detached(MANIFEST, citizen_auth)
    assert refusal(MANIFEST, signature, KeyPurpose.SIGNING) == SignatureRefusal.WRONG_KEY_PURPOSE


def test_a_signing_key_cannot_log_in(citizen_sign: IssuedCertificate) -> None:
    signature = sign_detached(b"challenge", citizen_sign)
    assert refusal(b"challenge", signature, KeyPurpose.AUTHENTICATION) == SignatureRefusal.WRONG_KEY_PURPOSE


def test_a_certificate_from_an_untrusted_ca_is_refused(tmp_path: Path) -> None:
    stranger = DemoCA.load_or_create(tmp_path / "another-ca")
    issued = stranger.issue_person(iin=CITIZEN_IIN, surname="Ахметов", given_name="Ерлан", purpose=KeyPurpose.SIGNING)
    assert refusal(MANIFEST, sign_detached(MANIFEST, issued), KeyPurpose.SIGNING) == SignatureRefusal.UNTRUSTED


def test_a_gost_signature_is_refused_as_unsupported(citizen_sign: IssuedCertificate) -> None:
    info = cms.ContentInfo.load(sign_detached(MANIFEST, citizen_sign))
    signer_info = info["content"]["signer_infos"][0]
    signer_info["digest_algorithm"] = {"algorithm": "1.2.398.3.10.1.3.1"}  # GOST 34.311-95
    signer_info["signature_algorithm"] = {"algorithm": "1.2.398.3.10.1.1.1.2"}  # GOST 34.310-2004
    with pytest.raises(SignatureRefusedError) as raised:
        verify_detached(MANIFEST, info.dump(force=True), purpose=KeyPurpose.SIGNING)
    assert raised.value.code == SignatureRefusal.UNSUPPORTED_ALGORITHM
    with translation.override("en"):
        assert "not supported by this verifier" in str(raised.value.message)


def test_a_certificate_without_iin_or_bin_is_refused(demo_ca: DemoCA) -> None:
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from torelik.identity import pki

    issued = demo_ca._issue(  # noqa: SLF001 - a certificate outside the NCA profile
        subject=x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Nobody")]),
        key_usage=pki._key_usage(KeyPurpose.SIGNING),  # noqa: SLF001
        extended_key_usage=[ExtendedKeyUsageOID.EMAIL_PROTECTION],
        policy=pki.POLICY_INDIVIDUAL_SIGN,
        valid_days=30,
        not_before=None,
    )
    assert refusal(MANIFEST, sign_detached(MANIFEST, issued), KeyPurpose.SIGNING) == SignatureRefusal.NO_IIN


def test_an_attached_signature_is_refused(citizen_sign: IssuedCertificate) -> None:
    from torelik.core.asyncrun import run_coroutine
    from torelik.identity.pki import pyhanko_signer

    attached = run_coroutine(
        pyhanko_signer(citizen_sign).async_sign_general_data(MANIFEST, "sha256", detached=False)
    ).dump()
    assert refusal(MANIFEST, attached, KeyPurpose.SIGNING) == SignatureRefusal.MALFORMED


def test_verification_works_inside_a_running_event_loop(citizen_sign: IssuedCertificate) -> None:
    import asyncio

    signature = sign_detached(MANIFEST, citizen_sign)

    async def inside() -> str | None:
        return verify_detached(MANIFEST, signature, purpose=KeyPurpose.SIGNING).iin

    # In a thread of its own: this test thread may already run Playwright's loop (browser tests).
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside()).result() == CITIZEN_IIN


class KalkanLikeVerifier:
    """Stands for a GOST-capable backend plugged in through settings."""

    def verify_detached(self, content: bytes, signature: bytes, *, purpose: KeyPurpose) -> VerifiedSigner:
        return VerifiedSigner(
            iin=CITIZEN_IIN,
            bin=None,
            common_name="GOST SIGNER",
            surname="GOST",
            given_name="SIGNER",
            role=None,
            purpose=purpose,
            certificate_serial="1",
            issuer="CN=НУЦ РК (GOST)",
            not_after=clock.now(),
            signed_at=None,
            certificate_der=b"",
        )


def test_another_verifier_can_be_plugged_in(settings: Any) -> None:
    settings.TORELIK_EDS_VERIFIER = "torelik.identity.tests.test_eds.KalkanLikeVerifier"
    assert verify_detached(MANIFEST, b"gost", purpose=KeyPurpose.SIGNING).issuer == "CN=НУЦ РК (GOST)"


def test_without_configured_roots_production_trusts_nobody(citizen_sign: IssuedCertificate, settings: Any) -> None:
    settings.DEBUG = False
    settings.TORELIK_EDS_TRUST_DEMO_CA = False
    settings.TORELIK_EDS_TRUST_ROOTS = []
    signature = sign_detached(MANIFEST, citizen_sign)
    assert refusal(MANIFEST, signature, KeyPurpose.SIGNING) == SignatureRefusal.UNTRUSTED


def test_configured_roots_and_crls_are_used(citizen_sign: IssuedCertificate, demo_ca: DemoCA, settings: Any) -> None:
    settings.TORELIK_EDS_TRUST_DEMO_CA = False
    settings.TORELIK_EDS_TRUST_ROOTS = [str(demo_ca.root_path)]
    settings.TORELIK_EDS_CRLS = [str(demo_ca.crl_path)]
    assert verify_detached(MANIFEST, sign_detached(MANIFEST, citizen_sign), purpose=KeyPurpose.SIGNING).iin
