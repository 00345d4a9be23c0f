"""Verifying digital signatures (EDS): detached CMS (CAdES-BES) as NCALayer makes them.

`verify_detached(content, signature, purpose=...)` answers who signed (IIN, BIN, role from the
certificate) or raises `SignatureRefusedError` with a stable code. The work is done by a pluggable
`Verifier` (`settings.TORELIK_EDS_VERIFIER`, a dotted path): the default `PyHankoVerifier` does
real path validation with pyHanko / pyhanko-certvalidator against the configured trust roots and
revocation data, and refuses GOST signatures (no open-source GOST implementation) with a clear
message, so a GOST-capable backend (the vendor's Kalkan library) can be plugged in later.

Only `intact and valid and trusted` is accepted: `valid` alone stays True when the content was
changed, because the signed attributes are still correctly signed (shared/recipes.md).
"""

import base64
import binascii
import datetime as dt
import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from asn1crypto import cms, pem
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import StandardCMSSignatureStatus
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import InsufficientRevinfoError
from pyhanko_certvalidator.policy_decl import NO_REVOCATION, REQUIRE_REVINFO, CertRevTrustPolicy

from torelik.core import clock, observability
from torelik.core.asyncrun import run_coroutine
from torelik.core.errors import DomainError
from torelik.identity.pki import ROLE_BY_OID, DemoCA, KeyPurpose

__all__ = [
    "KeyPurpose",
    "PyHankoVerifier",
    "SignatureRefusal",
    "SignatureRefusedError",
    "VerifiedSigner",
    "Verifier",
    "get_verifier",
    "verify_detached",
]

logger = logging.getLogger("torelik.identity.eds")

# pyHanko logs a full traceback at WARNING for every signature it finds broken: expected here.
for _name in ("pyhanko.sign", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

#: Algorithm OID prefixes of GOST 34.310-2004 (Kazakhstan) and GOST R 34.10/34.11 (Russia).
GOST_OID_PREFIXES = ("1.2.398.3.10.", "1.2.643.")


class SignatureRefusal(StrEnum):
    MALFORMED = "signature_malformed"
    CONTENT_MISMATCH = "signature_content_mismatch"
    UNTRUSTED = "signature_untrusted"
    REVOKED = "signature_certificate_revoked"
    EXPIRED = "signature_certificate_expired"
    WRONG_KEY_PURPOSE = "signature_wrong_key_purpose"
    UNSUPPORTED_ALGORITHM = "signature_unsupported_algorithm"
    NO_IIN = "signature_no_iin"
    REVOCATION_UNKNOWN = "signature_revocation_unknown"


MESSAGES = {
    SignatureRefusal.MALFORMED: _("The signature could not be read: it is not a detached CMS signature."),
    SignatureRefusal.CONTENT_MISMATCH: _(
        "The signature does not match the signed content: the content was changed or it was signed by someone else."
    ),
    SignatureRefusal.UNTRUSTED: _("The signer's certificate was not issued by a trusted certification authority."),
    SignatureRefusal.REVOKED: _("The signer's certificate has been revoked."),
    SignatureRefusal.EXPIRED: _("The signer's certificate has expired or is not yet valid."),
    SignatureRefusal.WRONG_KEY_PURPOSE: _("This key of your digital signature cannot be used here."),
    SignatureRefusal.UNSUPPORTED_ALGORITHM: _(
        "The signature algorithm %(algorithm)s is not supported by this verifier; sign with an RSA key."
    ),
    SignatureRefusal.NO_IIN: _("The signer's certificate carries no IIN or BIN."),
    SignatureRefusal.REVOCATION_UNKNOWN: _(
        "The revocation status of the signer's certificate could not be established (no current revocation list "
        "or OCSP answer of its issuer is available), so the signature cannot be accepted. Try again later."
    ),
}

# The wrong-key refusal worded for people, by the key that was wanted (no AUTH/SIGN codes on a page).
WRONG_KEY_MESSAGES = {
    KeyPurpose.AUTHENTICATION: _(
        "This key cannot be used to log in: choose the authentication key of your digital signature, the one "
        "for logging in, not the one for signing documents."
    ),
    KeyPurpose.SIGNING: _(
        "This key cannot be used to sign: choose the signing key of your digital signature, the one for "
        "signing documents, not the one for logging in."
    ),
}


class SignatureRefusedError(DomainError):
    """A signature that must not be accepted, and why (`code` is a `SignatureRefusal`)."""

    http_status = 422

    def __init__(self, refusal: SignatureRefusal, *, message: str | Promise | None = None, **params: object) -> None:
        super().__init__(refusal, message or MESSAGES[refusal], params=params, fields={"signature": []})
        self.refusal = refusal
        self.fields = {"signature": [self.message]}


@dataclass(frozen=True)
class VerifiedSigner:
    """Who signed, as the (validated) certificate says."""

    iin: str | None
    bin: str | None
    common_name: str
    surname: str
    given_name: str
    role: str | None
    purpose: KeyPurpose
    certificate_serial: str
    issuer: str
    not_after: dt.datetime
    signed_at: dt.datetime | None
    certificate_der: bytes
    patronymic: str = ""
    organisation: str = ""


class Verifier(Protocol):
    """A signature verification backend (`settings.TORELIK_EDS_VERIFIER`)."""

    def verify_detached(self, content: bytes, signature: bytes, *, purpose: KeyPurpose) -> VerifiedSigner: ...


def verify_detached(content: bytes, signature: bytes, *, purpose: KeyPurpose) -> VerifiedSigner:
    """The signer of a detached CMS `signature` (DER, or its base64) over `content`, checked for `purpose`.

    Raises `SignatureRefusedError` (logged) for anything that must not be accepted."""
    try:
        return get_verifier().verify_detached(content, signature, purpose=KeyPurpose(purpose))
    except SignatureRefusedError as error:
        logger.warning("EDS signature refused (%s, wanted %s): %s", error.code, purpose, error.params)
        observability.SIGNATURES_REFUSED.labels(reason=str(error.code), purpose=str(purpose)).inc()
        raise


def get_verifier() -> Verifier:
    return _verifier(getattr(settings, "TORELIK_EDS_VERIFIER", "torelik.identity.eds.PyHankoVerifier"))


@cache
def _verifier(path: str) -> Verifier:
    verifier: Verifier = import_string(path)()
    return verifier


# The certificate ---------------------------------------------------------------------------------


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> list[str]:
    return [str(attribute.value) for attribute in name.get_attributes_for_oid(oid)]


def _prefixed(values: list[str], prefix: str) -> str | None:
    for value in values:
        if value.upper().startswith(prefix):
            return value[len(prefix) :]
    return None


def certificate_purposes(certificate: x509.Certificate) -> set[KeyPurpose]:
    """What a certificate's key may be used for, by key usage and extended key usage (NCA profile)."""
    try:
        key_usage: x509.KeyUsage | None = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        key_usage = None
    try:
        extended = set(certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        extended = set()
    purposes: set[KeyPurpose] = set()
    if key_usage is not None and key_usage.content_commitment and ExtendedKeyUsageOID.EMAIL_PROTECTION in extended:
        purposes.add(KeyPurpose.SIGNING)
    if ExtendedKeyUsageOID.CLIENT_AUTH in extended and (key_usage is None or key_usage.digital_signature):
        purposes.add(KeyPurpose.AUTHENTICATION)
    return purposes


def certificate_role(certificate: x509.Certificate) -> str | None:
    try:
        extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return None
    for oid in extended:
        if oid.dotted_string in ROLE_BY_OID:
            return str(ROLE_BY_OID[oid.dotted_string])
    return None


def describe_signer(
    certificate: x509.Certificate, *, purpose: KeyPurpose, signed_at: dt.datetime | None
) -> VerifiedSigner:
    """The signer's identity from the certificate's subject (no checks here)."""
    subject = certificate.subject
    serials = _attribute(subject, NameOID.SERIAL_NUMBER)
    units = _attribute(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
    common_name = next(iter(_attribute(subject, NameOID.COMMON_NAME)), "")
    surname = next(iter(_attribute(subject, NameOID.SURNAME)), "")
    given_name = common_name[len(surname) :].strip() if surname and common_name.startswith(surname) else ""
    return VerifiedSigner(
        iin=_prefixed(serials, "IIN"),
        bin=_prefixed(units, "BIN") or _prefixed(serials, "BIN"),
        common_name=common_name,
        surname=surname,
        given_name=given_name,
        role=certificate_role(certificate),
        purpose=purpose,
        certificate_serial=format(certificate.serial_number, "x"),
        issuer=certificate.issuer.rfc4514_string(),
        not_after=certificate.not_valid_after_utc,
        signed_at=signed_at,
        certificate_der=certificate.public_bytes(_DER),
        patronymic=next(iter(_attribute(subject, NameOID.GIVEN_NAME)), ""),
        organisation=next(iter(_attribute(subject, NameOID.ORGANIZATION_NAME)), ""),
    )


# Trust roots and revocation data -----------------------------------------------------------------

_DER = Encoding.DER
_lock = threading.Lock()
_file_cache: dict[tuple[str, int, int, str], list[Any]] = {}


def _read_der_objects(path: Path) -> list[bytes]:
    """The DER objects in a PEM (one or many) or DER file."""
    data = path.read_bytes()
    return [der for _type, _headers, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]


def _load_cached(path: Path, kind: str) -> list[Any]:
    """The certificates (`kind` "cert") or CRLs ("crl") in a file, parsed once per version of the file.

    The parsed objects are shared between validations: asn1crypto caches the normalised names on
    them, which is much of pyHanko's work."""
    status = path.stat()  # files are replaced atomically: a new inode, or at least a new mtime
    key = (str(path), status.st_ino, status.st_mtime_ns, kind)
    with _lock:
        cached = _file_cache.get(key)
    if cached is not None:
        return cached
    loader = asn1_x509.Certificate.load if kind == "cert" else asn1_crl.CertificateList.load
    objects = [loader(der) for der in _read_der_objects(path)]
    for item in objects:
        item.native  # noqa: B018 - parse fully now, not concurrently in several threads later
    with _lock:
        for stale in [k for k in _file_cache if k[0] == key[0] and k[3] == kind]:
            del _file_cache[stale]
        _file_cache[key] = objects
    return objects


def demo_ca_trusted() -> bool:
    """Whether the demo CA is a trust root here: DEBUG, tests, or TORELIK_EDS_TRUST_DEMO_CA."""
    return bool(settings.DEBUG or getattr(settings, "TORELIK_EDS_TRUST_DEMO_CA", False))


def trust_root_paths() -> list[Path]:
    configured = [Path(path) for path in getattr(settings, "TORELIK_EDS_TRUST_ROOTS", [])]
    if configured or not demo_ca_trusted():
        return configured
    return [DemoCA.ensure() / DemoCA.ROOT_FILE]


def crl_paths() -> list[Path]:
    configured = [Path(path) for path in getattr(settings, "TORELIK_EDS_CRLS", [])]
    if configured or getattr(settings, "TORELIK_EDS_TRUST_ROOTS", []) or not demo_ca_trusted():
        return configured
    return [DemoCA.ensure() / DemoCA.CRL_FILE]


def revocation_checking() -> bool:
    """Whether revocation is checked: when a CRL is configured or fetching (OCSP, CRLs) is allowed."""
    return bool(crl_paths() or getattr(settings, "TORELIK_EDS_OCSP_FETCH", False))


def validation_context() -> ValidationContext:
    """A fresh validation context from the settings (trust roots, CRLs, fetching, revocation policy).

    With revocation checking on, every certificate of the path below the root must have its status
    established by a CRL or an OCSP answer of its issuer, whether or not it names a distribution
    point or an OCSP address (`REQUIRE_REVINFO`): pyHanko's legacy "hard-fail" mode consults the
    configured CRLs only for certificates that name a distribution point, so a revoked certificate
    without one was accepted (issue #30). Without it, revocation is not checked at all."""
    roots = [root for path in trust_root_paths() for root in _load_cached(path, "cert")]
    crls = [item for path in crl_paths() for item in _load_cached(path, "crl")]
    fetch = bool(getattr(settings, "TORELIK_EDS_OCSP_FETCH", False))
    policy = REQUIRE_REVINFO if crls or fetch else NO_REVOCATION
    return ValidationContext(
        trust_roots=roots,
        crls=crls,
        allow_fetching=fetch,
        revinfo_policy=CertRevTrustPolicy(policy),
        moment=clock.now() if clock.is_frozen() else None,
    )


# The default verifier ----------------------------------------------------------------------------


def load_signed_data(signature: bytes) -> cms.SignedData:
    """The SignedData of a DER (or base64 DER) CMS signature; MALFORMED otherwise."""
    raw = signature  # DER: never strip it, its last byte may well be a "whitespace" byte
    text = signature.strip()
    if text[:2] in (b"MI", b"MF") or text.startswith(b"-----"):
        try:
            lines = [line for line in text.splitlines() if not line.startswith(b"-----")]
            raw = base64.b64decode(b"".join(b"".join(lines).split()), validate=True)
        except (binascii.Error, ValueError) as error:
            raise SignatureRefusedError(SignatureRefusal.MALFORMED) from error
    try:
        info = cms.ContentInfo.load(raw, strict=True)
        if info["content_type"].native != "signed_data":
            raise SignatureRefusedError(SignatureRefusal.MALFORMED)
        signed_data: cms.SignedData = info["content"]
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise SignatureRefusedError(SignatureRefusal.MALFORMED)
        signer_infos[0]["sid"].chosen  # noqa: B018 - the parts read before validation: fail here if broken
        signer_infos[0]["digest_algorithm"]["algorithm"].dotted  # noqa: B018
        signer_infos[0]["signature_algorithm"]["algorithm"].dotted  # noqa: B018
    except SignatureRefusedError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise SignatureRefusedError(SignatureRefusal.MALFORMED) from error
    if signed_data["encap_content_info"]["content"].native is not None:
        raise SignatureRefusedError(SignatureRefusal.MALFORMED)  # attached: we want a detached signature
    return signed_data


def _gost_algorithm(signed_data: cms.SignedData) -> str | None:
    signer_info = signed_data["signer_infos"][0]
    oids = [
        signer_info["digest_algorithm"]["algorithm"].dotted,
        signer_info["signature_algorithm"]["algorithm"].dotted,
    ]
    oids.extend(
        certificate.chosen["tbs_certificate"]["subject_public_key_info"]["algorithm"]["algorithm"].dotted
        for certificate in signed_data["certificates"]
        if certificate.name == "certificate"
    )
    for oid in oids:
        if oid.startswith(GOST_OID_PREFIXES):
            return f"GOST ({oid})"
    return None


def _revocation_unknown(signing_cert: asn1_x509.Certificate, signed_data: cms.SignedData) -> bool:
    """Whether an untrusted signer's path failed only because no revocation status could be
    established. pyHanko reports that as a general chain failure (`CERTIFICATE_CHAIN_GENERAL_FAILURE`,
    or `TRY_LATER` when the revocation data is outdated), so the path is validated again here, on this
    failure path only, to tell it from the others."""
    if not revocation_checking():
        return False
    others = [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]
    validator = CertificateValidator(signing_cert, intermediate_certs=others, validation_context=validation_context())
    try:
        run_coroutine(validator.async_validate_path())
    except InsufficientRevinfoError:  # StaleRevinfoError (an outdated CRL) is one too
        return True
    except Exception:  # noqa: BLE001 - any other failure is answered by `_check_status`
        return False
    return False


class PyHankoVerifier:
    """Path validation with pyHanko against the configured trust roots and CRLs (RSA / ECDSA)."""

    key_usage = KeyUsageConstraints(key_usage={"digital_signature"}, match_all_key_usages=False)

    def verify_detached(self, content: bytes, signature: bytes, *, purpose: KeyPurpose) -> VerifiedSigner:
        signed_data = load_signed_data(signature)
        algorithm = _gost_algorithm(signed_data)
        if algorithm:
            raise SignatureRefusedError(SignatureRefusal.UNSUPPORTED_ALGORITHM, algorithm=algorithm)
        try:
            status = run_coroutine(
                async_validate_detached_cms(
                    content,
                    signed_data,
                    signer_validation_context=validation_context(),
                    key_usage_settings=self.key_usage,
                )
            )
        except SignatureRefusedError:
            raise
        except Exception as error:  # noqa: BLE001 - pyHanko raises many kinds for broken input
            name = type(error).__name__
            logger.info("EDS validation failed with %s", name, exc_info=True)
            if "Algorithm" in name or "NotImplemented" in name:
                raise SignatureRefusedError(SignatureRefusal.UNSUPPORTED_ALGORITHM, algorithm=name) from error
            raise SignatureRefusedError(SignatureRefusal.MALFORMED) from error
        certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
        if not status.trusted and _revocation_unknown(status.signing_cert, signed_data):
            raise SignatureRefusedError(SignatureRefusal.REVOCATION_UNKNOWN)
        self._check_status(status, certificate)
        purposes = certificate_purposes(certificate)
        if purpose not in purposes:
            raise SignatureRefusedError(SignatureRefusal.WRONG_KEY_PURPOSE, message=WRONG_KEY_MESSAGES[purpose])
        signer = describe_signer(certificate, purpose=purpose, signed_at=status.signer_reported_dt)
        if not signer.iin and not signer.bin:
            raise SignatureRefusedError(SignatureRefusal.NO_IIN)
        return signer

    @staticmethod
    def _check_status(status: StandardCMSSignatureStatus, certificate: x509.Certificate) -> None:
        if not status.intact or not status.valid:
            raise SignatureRefusedError(SignatureRefusal.CONTENT_MISMATCH)
        if status.trusted:
            return
        problem = status.trust_problem_indic
        if status.revoked or problem in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE):
            raise SignatureRefusedError(SignatureRefusal.REVOKED, serial=format(certificate.serial_number, "x"))
        moment = clock.now()
        if (
            problem
            in (
                AdESIndeterminate.EXPIRED,
                AdESIndeterminate.NOT_YET_VALID,
                AdESFailure.NOT_YET_VALID,
                AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
                AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
            )
            or not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc
        ):
            raise SignatureRefusedError(SignatureRefusal.EXPIRED, not_after=certificate.not_valid_after_utc.isoformat())
        raise SignatureRefusedError(SignatureRefusal.UNTRUSTED, issuer=certificate.issuer.rfc4514_string())
