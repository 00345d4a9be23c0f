"""The demo certification authority: certificates in the profile of the national CA (NCA RK).

For development, tests and the demo only. A root certificate and its key live in a directory
(`settings.TORELIK_PKI_DIR`, `var/pki` by default); `DemoCA.issue_person` issues an
authentication (AUTH) or a signing (SIGN) certificate for a citizen or a company's employee in the
profile `/work/shared/domain/kazakhstan.md` describes:

- subject `CN=SURNAME GIVEN, SURNAME=..., SERIALNUMBER=IIN..., C=KZ, GIVENNAME=patronymic`, and for
  an employee `OU=BIN..., O=company`;
- SIGN: keyUsage digitalSignature + nonRepudiation, extKeyUsage emailProtection;
  AUTH: keyUsage digitalSignature + keyEncipherment, extKeyUsage clientAuth;
- the user-type OIDs `1.2.398.3.3.4.1.1` (individual) or `1.2.398.3.3.4.1.2.x` (legal entity, x
  the employee's role) in extKeyUsage, and the NCA policy OIDs.

`sign_detached` makes a detached CMS (CAdES-BES) signature the way NCALayer does.
"""

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from torelik.core import clock
from torelik.core.asyncrun import run_coroutine

ROOT_COMMON_NAME = "Torelik Demo CA (NOT FOR PRODUCTION)"
ORGANISATION = "Torelik demo"
#: The password of every PKCS#12 file the demo CA writes (NCA's test keys use the same).
DEMO_PASSWORD = b"Qwerty12"  # noqa: S105 - a documented demo password, never a real one
KEY_SIZE = 2048
#: Where the demo CRL is said to be published (never fetched: verifiers are given `crl.der`).
CRL_URL = "http://127.0.0.1:8000/pki/demo-ca.crl"

# Object identifiers of the national CA's profile (domain file).
OID_INDIVIDUAL = x509.ObjectIdentifier("1.2.398.3.3.4.1.1")
OID_LEGAL_ENTITY = x509.ObjectIdentifier("1.2.398.3.3.4.1.2")
POLICY_LEGAL_SIGN = x509.ObjectIdentifier("1.2.398.3.3.2.1")
POLICY_LEGAL_AUTH = x509.ObjectIdentifier("1.2.398.3.3.2.2")
POLICY_INDIVIDUAL_SIGN = x509.ObjectIdentifier("1.2.398.3.3.2.3")
POLICY_INDIVIDUAL_AUTH = x509.ObjectIdentifier("1.2.398.3.3.2.4")


class KeyPurpose(StrEnum):
    AUTHENTICATION = "auth"
    SIGNING = "sign"


class EmployeeRole(StrEnum):
    """The employee's role in a legal entity's certificate (extKeyUsage `1.2.398.3.3.4.1.2.x`)."""

    FIRST_HEAD = "first_head"
    SIGNATORY = "signatory"
    FINANCE = "finance"
    HR = "hr"
    EMPLOYEE = "employee"


ROLE_OIDS: dict[EmployeeRole, str] = {
    EmployeeRole.FIRST_HEAD: "1.2.398.3.3.4.1.2.1",
    EmployeeRole.SIGNATORY: "1.2.398.3.3.4.1.2.2",
    EmployeeRole.FINANCE: "1.2.398.3.3.4.1.2.3",
    EmployeeRole.HR: "1.2.398.3.3.4.1.2.4",
    EmployeeRole.EMPLOYEE: "1.2.398.3.3.4.1.2.5",
}
ROLE_BY_OID: dict[str, EmployeeRole] = {oid: role for role, oid in ROLE_OIDS.items()}


@dataclass(frozen=True)
class IssuedCertificate:
    """A certificate, its private key and the chain up to (and including) the root."""

    certificate: x509.Certificate
    private_key: PrivateKeyTypes
    chain: tuple[x509.Certificate, ...] = field(default=())

    def pkcs12(self, password: bytes) -> bytes:
        """The key, certificate and chain as a PKCS#12 file, as NCALayer and the dev signer read them."""
        if not isinstance(self.private_key, rsa.RSAPrivateKey):  # pragma: no cover - the demo CA issues RSA
            raise TypeError("only RSA keys are exported")
        return pkcs12.serialize_key_and_certificates(
            name=self.certificate.subject.rfc4514_string().encode(),
            key=self.private_key,
            cert=self.certificate,
            cas=list(self.chain) or None,
            encryption_algorithm=serialization.BestAvailableEncryption(password),
        )

    @classmethod
    def from_pkcs12(cls, data: bytes, password: bytes) -> "IssuedCertificate":
        key, certificate, others = pkcs12.load_key_and_certificates(data, password)
        if key is None or certificate is None:
            raise ValueError("the PKCS#12 file holds no key or no certificate")
        return cls(certificate=certificate, private_key=key, chain=tuple(others))

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def private_key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def fit_common_name(value: str) -> str:
    """`value` cut to the 64 bytes X.509 allows a common name (a court's full name goes into O)."""
    encoded = value.strip().encode()[:64]
    return encoded.decode(errors="ignore").strip() or "-"


def test_window() -> tuple[dt.datetime, dt.datetime] | None:
    """The test suite's span of validity (TORELIK_DEMO_PKI_WINDOW): the CA, its CRL and the certificates
    issued without a date of their own hold in it whatever the real or frozen clock says when they are made
    or checked, so that a certificate made under one test's frozen clock does not expire under the next
    test's real one (a time bomb found by running the suite a year ahead, issue 17). None elsewhere."""
    window = getattr(settings, "TORELIK_DEMO_PKI_WINDOW", None)
    return (window[0], window[1]) if window else None


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on the CA directory, across threads and processes (pytest-xdist workers)."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    if private:
        temporary.chmod(0o600)
    temporary.replace(path)


def default_directory() -> Path:
    return Path(getattr(settings, "TORELIK_PKI_DIR", Path(settings.VAR_DIR) / "pki"))


class DemoCA:
    """A root CA on disk: `root.pem`, `root.key.pem` (unencrypted: demo only), `revoked.json`, `crl.der`,
    and court seals under `seals/`."""

    ROOT_FILE = "root.pem"
    KEY_FILE = "root.key.pem"
    REVOKED_FILE = "revoked.json"
    CRL_FILE = "crl.der"

    def __init__(self, directory: Path, root: x509.Certificate, root_key: rsa.RSAPrivateKey) -> None:
        self.directory = directory
        self.root = root
        self.root_key = root_key

    @classmethod
    def load_or_create(cls, directory: Path | None = None) -> "DemoCA":
        """The CA in `directory` (default `settings.TORELIK_PKI_DIR`), created on first use."""
        directory = Path(directory) if directory is not None else default_directory()
        root_path, key_path = directory / cls.ROOT_FILE, directory / cls.KEY_FILE
        if not (root_path.exists() and key_path.exists()):
            with _locked(directory):
                if not (root_path.exists() and key_path.exists()):
                    cls._create(directory)
        root = x509.load_pem_x509_certificate(root_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):  # pragma: no cover - we write RSA
            raise TypeError(f"{key_path} does not hold an RSA key")
        ca = cls(directory, root, key)
        if not (directory / cls.CRL_FILE).exists():
            with _locked(directory):
                ca._write_crl()
        return ca

    @classmethod
    def ensure(cls, directory: Path | None = None) -> Path:
        """The CA's directory, the CA created there if missing (cheaper than loading it: no key parsed)."""
        directory = Path(directory) if directory is not None else default_directory()
        if not ((directory / cls.ROOT_FILE).exists() and (directory / cls.CRL_FILE).exists()):
            cls.load_or_create(directory)
        return directory

    @classmethod
    def _create(cls, directory: Path) -> None:
        key = _new_key()
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, ROOT_COMMON_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
            ]
        )
        window = test_window()
        start = window[0] if window else clock.now() - dt.timedelta(days=1)
        root = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(window[1] if window else start + dt.timedelta(days=365 * 20))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write_atomically(
            directory / cls.KEY_FILE,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            private=True,
        )
        _write_atomically(directory / cls.ROOT_FILE, root.public_bytes(serialization.Encoding.PEM))
        for stale in (cls.REVOKED_FILE, cls.CRL_FILE):
            (directory / stale).unlink(missing_ok=True)

    @property
    def root_path(self) -> Path:
        return self.directory / self.ROOT_FILE

    @property
    def crl_path(self) -> Path:
        return self.directory / self.CRL_FILE

    # Issuing ----------------------------------------------------------------------------------

    def issue_person(
        self,
        *,
        iin: str,
        surname: str,
        given_name: str,
        purpose: KeyPurpose,
        bin: str | None = None,  # noqa: A002 - the domain's name for it
        role: str | None = None,
        valid_days: int = 365,
        not_before: dt.datetime | None = None,
        patronymic: str = "",
        organisation: str = "",
    ) -> IssuedCertificate:
        """A citizen's (or, with `bin`, a company employee's) AUTH or SIGN certificate.

        `role` is an `EmployeeRole` value (default `employee` when `bin` is given); `patronymic`
        goes into GIVENNAME as in real certificates."""
        purpose = KeyPurpose(purpose)
        attributes = [
            x509.NameAttribute(NameOID.COMMON_NAME, fit_common_name(f"{surname} {given_name}")),
            x509.NameAttribute(NameOID.SURNAME, surname),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
        if bin:
            if organisation:
                attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
            attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin}"))
        if patronymic:
            attributes.append(x509.NameAttribute(NameOID.GIVEN_NAME, patronymic))
        usages: list[x509.ObjectIdentifier] = []
        if purpose is KeyPurpose.SIGNING:
            usages.append(ExtendedKeyUsageOID.EMAIL_PROTECTION)
        else:
            usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
        if bin:
            usages.append(OID_LEGAL_ENTITY)
            usages.append(x509.ObjectIdentifier(ROLE_OIDS[EmployeeRole(role or EmployeeRole.EMPLOYEE)]))
            policy = POLICY_LEGAL_SIGN if purpose is KeyPurpose.SIGNING else POLICY_LEGAL_AUTH
        else:
            usages.append(OID_INDIVIDUAL)
            policy = POLICY_INDIVIDUAL_SIGN if purpose is KeyPurpose.SIGNING else POLICY_INDIVIDUAL_AUTH
        return self._issue(
            subject=x509.Name(attributes),
            key_usage=_key_usage(purpose),
            extended_key_usage=usages,
            policy=policy,
            valid_days=valid_days,
            not_before=not_before,
        )

    def issue_court_seal(self, *, court_code: str, court_name: str) -> IssuedCertificate:
        """The court's signing certificate for sealing PDFs (subpoenas, acts); kept on disk per court."""
        path = self.directory / "seals" / f"{_safe_name(court_code)}.p12"
        if path.exists():
            return IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
        with _locked(self.directory):
            if path.exists():
                return IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
            subject = x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, fit_common_name(court_name)),
                    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"COURT{court_code}"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, court_name),
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                ]
            )
            issued = self._issue(
                subject=subject,
                key_usage=_key_usage(KeyPurpose.SIGNING),
                extended_key_usage=[ExtendedKeyUsageOID.EMAIL_PROTECTION, OID_LEGAL_ENTITY],
                policy=POLICY_LEGAL_SIGN,
                valid_days=365 * 5,
                not_before=None,
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, issued.pkcs12(DEMO_PASSWORD), private=True)
            return issued

    def issue_timestamp_authority(self) -> IssuedCertificate:
        """The demo timestamp authority's certificate (RFC 3161: extended key usage timeStamping only,
        critical), kept on disk: what `identity.timestamps.LocalTimestampAuthority` signs with."""
        path = self.directory / "tsa.p12"
        if path.exists():
            return IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
        with _locked(self.directory):
            if path.exists():
                return IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
            issued = self._issue(
                subject=x509.Name(
                    [
                        x509.NameAttribute(NameOID.COMMON_NAME, "Torelik demo timestamp authority"),
                        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
                    ]
                ),
                key_usage=_key_usage(KeyPurpose.SIGNING),
                extended_key_usage=[ExtendedKeyUsageOID.TIME_STAMPING],
                policy=POLICY_LEGAL_SIGN,
                valid_days=365 * 5,
                not_before=None,
                extended_key_usage_critical=True,
            )
            _write_atomically(path, issued.pkcs12(DEMO_PASSWORD), private=True)
            return issued

    def _issue(
        self,
        *,
        subject: x509.Name,
        key_usage: x509.KeyUsage,
        extended_key_usage: list[x509.ObjectIdentifier],
        policy: x509.ObjectIdentifier,
        valid_days: int,
        not_before: dt.datetime | None,
        extended_key_usage_critical: bool = False,
    ) -> IssuedCertificate:
        key = _new_key()
        window = test_window()
        start = not_before or (window[0] if window else clock.now() - dt.timedelta(minutes=5))
        end = window[1] if window and not_before is None else start + dt.timedelta(days=valid_days)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(key_usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=extended_key_usage_critical)
            .add_extension(x509.CertificatePolicies([x509.PolicyInformation(policy, None)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()), critical=False
            )
            .add_extension(
                x509.CRLDistributionPoints(
                    [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_URL)], None, None, None)]
                ),
                critical=False,
            )
            .sign(self.root_key, hashes.SHA256())
        )
        return IssuedCertificate(certificate=certificate, private_key=key, chain=(self.root,))

    # Revocation -------------------------------------------------------------------------------

    def revoke(self, certificate: x509.Certificate) -> None:
        """Put the certificate on the CRL (and rewrite `crl.der`)."""
        with _locked(self.directory):
            revoked = self._revoked()
            serial = str(certificate.serial_number)
            if serial not in revoked:
                revoked[serial] = clock.now().isoformat()
                _write_atomically(self.directory / self.REVOKED_FILE, json.dumps(revoked, indent=1).encode())
            self._write_crl()

    def _revoked(self) -> dict[str, str]:
        path = self.directory / self.REVOKED_FILE
        if not path.exists():
            return {}
        data: dict[str, str] = json.loads(path.read_text())
        return data

    def crl(self) -> x509.CertificateRevocationList:
        """A fresh CRL signed by the root, listing every revoked certificate."""
        now = clock.now()
        window = test_window()
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.root.subject)
            .last_update(window[0] if window else now - dt.timedelta(days=1))
            .next_update(window[1] if window else now + dt.timedelta(days=30))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.root_key.public_key()), critical=False
            )
        )
        for serial, when in self._revoked().items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(int(serial))
                .revocation_date(dt.datetime.fromisoformat(when))
                .build()
            )
        return builder.sign(self.root_key, hashes.SHA256())

    def _write_crl(self) -> None:
        _write_atomically(self.crl_path, self.crl().public_bytes(serialization.Encoding.DER))


def _key_usage(purpose: KeyPurpose) -> x509.KeyUsage:
    signing = purpose is KeyPurpose.SIGNING
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=signing,
        key_encipherment=not signing,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _safe_name(value: str) -> str:
    cleaned = "".join(char for char in value if char.isalnum() or char in "-_")
    if not cleaned:
        raise ValueError(f"not a usable court code: {value!r}")
    return cleaned


# Signing ----------------------------------------------------------------------------------------


def to_asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _LoadedKeySigner(SimpleSigner):
    """pyHanko's `SimpleSigner`, signing with the already loaded key: `SimpleSigner` loads the key from
    DER for every signature, and OpenSSL's check of an RSA key costs tens of milliseconds."""

    def __init__(self, *args: Any, loaded_key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded_key = loaded_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._loaded_key, rsa.RSAPrivateKey):
            return self._loaded_key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        result: bytes = super().sign_raw(data, digest_algorithm)
        return result


def pyhanko_signer(issued: IssuedCertificate) -> SimpleSigner:
    """A pyHanko `SimpleSigner` for the issued key (CMS and PAdES signing)."""
    key_der = issued.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _LoadedKeySigner(
        loaded_key=issued.private_key,
        signing_cert=to_asn1_certificate(issued.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [to_asn1_certificate(c) for c in issued.chain]
        ),
    )


def sign_detached(data: bytes, issued: IssuedCertificate) -> bytes:
    """A detached CMS (CAdES-BES: signing-certificate-v2, signing time, SHA-256) over `data`, DER."""
    signer = pyhanko_signer(issued)
    content_info = run_coroutine(signer.async_sign_general_data(data, "sha256", detached=True, use_cades=True))
    der: bytes = content_info.dump()
    return der
