"""Revocation of signing certificates made by a second, independent tool (openssl), issue #30.

A CRL configured for an issuer applies to every certificate of that issuer, whatever the
certificate names (a CRL distribution point, an OCSP address, both or neither); a certificate
whose status cannot be established is refused with its own error once revocation checking is on.
A revocation after the claimed signing time still refuses the signature: the signing time in a
CAdES-BES signature is the signer's own claim, not a proof (no time-stamp), so nothing shows that
the key was still in the holder's hands when it signed.
"""

import datetime as dt
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

from torelik.core import clock
from torelik.core.asyncrun import run_coroutine
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError, verify_detached
from torelik.identity.pki import KeyPurpose
from torelik.identity.tests.conftest import CITIZEN_IIN
from torelik.identity.tests.openssl_ca import EXTENSIONS, OpensslCA, OpensslCertificate

ALMATY = dt.timezone(dt.timedelta(hours=5))
ISSUED_FROM = dt.datetime(2026, 1, 5, 9, 0, tzinfo=ALMATY)
ISSUED_TO = dt.datetime(2027, 1, 5, 9, 0, tzinfo=ALMATY)
REVOKED_BEFORE_SIGNING = dt.datetime(2026, 2, 16, 11, 30, tzinfo=ALMATY)
SIGNED_AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY)
REVOKED_AFTER_SIGNING = dt.datetime(2026, 3, 5, 15, 0, tzinfo=ALMATY)
EARLIER_CRL_ISSUED = dt.datetime(2026, 3, 3, 0, 0, tzinfo=ALMATY)
CRL_ISSUED = dt.datetime(2026, 3, 9, 0, 0, tzinfo=ALMATY)
CRL_NEXT = dt.datetime(2026, 3, 16, 0, 0, tzinfo=ALMATY)
VERIFIED_AT = dt.datetime(2026, 3, 10, 12, 0, tzinfo=ALMATY)
MANIFEST = b'{"kind":"claim","attachments":[]}'

STATUSES = ("good", "revoked_before_signing", "revoked_after_signing")


@dataclass(frozen=True)
class Pki:
    ca: OpensslCA
    crl: Path
    earlier_crl: Path  # issued between the signing and the later revocations
    stale_crl: Path
    certificates: dict[tuple[str, str], OpensslCertificate]
    other_ca: OpensslCA  # trusted, but no CRL of it is configured
    other_certificates: dict[str, OpensslCertificate]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("openssl-ca")
    root_from, root_to = dt.datetime(2025, 1, 1, tzinfo=dt.UTC), dt.datetime(2035, 1, 1, tzinfo=dt.UTC)
    ca = OpensslCA(folder / "ca", name="Test NCA RK (openssl)", valid_from=root_from, valid_to=root_to)
    certificates = {}
    for extensions in EXTENSIONS:
        for status in STATUSES:
            name = f"{extensions.replace('+', '_')}-{status}"
            issued = ca.issue_signing(
                name=name, iin=CITIZEN_IIN, surname="Ахметов", given="Ерлан", extensions=extensions,
                valid_from=ISSUED_FROM, valid_to=ISSUED_TO,
            )  # fmt: skip
            if status == "revoked_before_signing":
                ca.revoke(issued, at=REVOKED_BEFORE_SIGNING)
            certificates[(extensions, status)] = issued
    earlier = ca.crl(last_update=EARLIER_CRL_ISSUED, next_update=CRL_NEXT, der=folder / "earlier.crl")
    for (_extensions, status), issued in certificates.items():
        if status == "revoked_after_signing":
            ca.revoke(issued, at=REVOKED_AFTER_SIGNING)
    crl = ca.crl(last_update=CRL_ISSUED, next_update=CRL_NEXT, der=folder / "ca.crl")
    stale = ca.crl(
        last_update=CRL_ISSUED - dt.timedelta(days=30), next_update=CRL_ISSUED - dt.timedelta(days=23),
        der=folder / "stale.crl",
    )  # fmt: skip
    other = OpensslCA(folder / "other", name="Other CA without a CRL", valid_from=root_from, valid_to=root_to)
    other_certificates = {
        extensions: other.issue_signing(
            name=f"other-{extensions.replace('+', '_')}",
            iin=CITIZEN_IIN,
            surname="Ахметов",
            given="Ерлан",
            extensions=extensions,
            valid_from=ISSUED_FROM,
            valid_to=ISSUED_TO,
        )  # fmt: skip
        for extensions in EXTENSIONS
    }
    return Pki(ca, crl, earlier, stale, certificates, other, other_certificates)


@pytest.fixture
def checking(pki: Pki, settings: Any) -> Iterator[None]:
    """Both openssl roots trusted, the first one's CRL configured (revocation checking on), the clock
    at the moment of verification."""
    settings.TORELIK_EDS_TRUST_DEMO_CA = False
    settings.TORELIK_EDS_TRUST_ROOTS = [str(pki.ca.root), str(pki.other_ca.root)]
    settings.TORELIK_EDS_CRLS = [str(pki.crl)]
    settings.TORELIK_EDS_OCSP_FETCH = False
    with clock.frozen_at(VERIFIED_AT):
        yield


def signed_by_pyhanko(issued: OpensslCertificate, root: Path) -> bytes:
    """A detached CAdES-BES signature claiming `SIGNED_AT` as its signing time."""
    signer = SimpleSigner.load(  # type: ignore[no-untyped-call]
        str(issued.key), str(issued.certificate), ca_chain_files=(str(root),)
    )
    assert signer is not None
    info = run_coroutine(
        signer.async_sign_general_data(
            MANIFEST,
            "sha256",
            detached=True,
            use_cades=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=SIGNED_AT),
        )
    )
    der: bytes = info.dump()
    return der


def signed_by_openssl(issued: OpensslCertificate, folder: Path) -> bytes:
    content, signature = folder / "manifest.json", folder / f"{issued.name}.p7s"
    content.write_bytes(MANIFEST)
    subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - openssl from PATH
            "openssl", "cms", "-sign", "-binary", "-in", str(content), "-signer", str(issued.certificate),
            "-inkey", str(issued.key), "-md", "sha256", "-outform", "DER", "-out", str(signature),
        ],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return signature.read_bytes()


def verdict(signature: bytes) -> str:
    try:
        signer = verify_detached(MANIFEST, signature, purpose=KeyPurpose.SIGNING)
    except SignatureRefusedError as error:
        return str(error.code) if error.message else "refused without a reason"
    assert signer.iin == CITIZEN_IIN
    return "accepted"


@pytest.mark.usefixtures("checking")
def test_a_revoked_certificate_without_a_distribution_point_is_refused(pki: Pki, tmp_path: Path) -> None:
    """The reproduction of issue #30: no CRL distribution point, no OCSP address, on the CRL."""
    revoked = pki.certificates[("none", "revoked_before_signing")]
    assert verdict(signed_by_openssl(revoked, tmp_path)) == SignatureRefusal.REVOKED
    assert verdict(signed_by_pyhanko(revoked, pki.ca.root)) == SignatureRefusal.REVOKED


@pytest.mark.usefixtures("checking")
@pytest.mark.parametrize("extensions", list(EXTENSIONS))
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("good", "accepted"),
        ("revoked_before_signing", SignatureRefusal.REVOKED),
        # The signing time is the signer's claim; without a time-stamp nothing proves it.
        ("revoked_after_signing", SignatureRefusal.REVOKED),
    ],
)
def test_the_issuers_crl_decides_whatever_the_certificate_names(
    pki: Pki, extensions: str, status: str, expected: str
) -> None:
    issued = pki.certificates[(extensions, status)]
    assert verdict(signed_by_pyhanko(issued, pki.ca.root)) == expected


@pytest.mark.usefixtures("checking")
@pytest.mark.parametrize("extensions", list(EXTENSIONS))
def test_a_certificate_whose_issuer_has_no_crl_is_refused_as_of_unknown_status(pki: Pki, extensions: str) -> None:
    issued = pki.other_certificates[extensions]
    assert verdict(signed_by_pyhanko(issued, pki.other_ca.root)) == SignatureRefusal.REVOCATION_UNKNOWN


@pytest.mark.usefixtures("checking")
@pytest.mark.parametrize("extensions", ["none", "crl_dp"])
def test_an_outdated_crl_leaves_the_status_unknown(pki: Pki, extensions: str, settings: Any) -> None:
    settings.TORELIK_EDS_CRLS = [str(pki.stale_crl)]
    issued = pki.certificates[(extensions, "good")]
    assert verdict(signed_by_pyhanko(issued, pki.ca.root)) == SignatureRefusal.REVOCATION_UNKNOWN


@pytest.mark.usefixtures("checking")
def test_before_its_revocation_the_same_signature_was_accepted(pki: Pki, settings: Any) -> None:
    """The status is the one at the moment of verification: verified on 4 March with the CRL of
    3 March (which does not list it yet), the signature was good; with the CRL of 9 March it is not."""
    issued = pki.certificates[("none", "revoked_after_signing")]
    signature = signed_by_pyhanko(issued, pki.ca.root)
    settings.TORELIK_EDS_CRLS = [str(pki.earlier_crl)]
    with clock.frozen_at(EARLIER_CRL_ISSUED + dt.timedelta(days=1)):
        assert verdict(signature) == "accepted"
    settings.TORELIK_EDS_CRLS = [str(pki.crl)]
    assert verdict(signature) == SignatureRefusal.REVOKED


def test_the_refusal_for_an_unknown_status_says_so(pki: Pki, settings: Any) -> None:
    settings.TORELIK_EDS_TRUST_DEMO_CA = False
    settings.TORELIK_EDS_TRUST_ROOTS = [str(pki.other_ca.root)]
    settings.TORELIK_EDS_CRLS = [str(pki.crl)]  # a CRL, but not of this issuer
    with clock.frozen_at(VERIFIED_AT), pytest.raises(SignatureRefusedError) as raised:
        verify_detached(
            MANIFEST, signed_by_pyhanko(pki.other_certificates["none"], pki.other_ca.root), purpose=KeyPurpose.SIGNING
        )
    assert raised.value.code == SignatureRefusal.REVOCATION_UNKNOWN
    for language, words in (("en", "revocation status"), ("ru", "статус отзыва"), ("kk", "кері қайтарылу мәртебесін")):
        with translation.override(language):
            assert words in str(raised.value.message)
    assert raised.value.http_status == 422
