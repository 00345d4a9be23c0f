"""RFC 3161 timestamps: asking the authority configured by URL (TORELIK_TSA_URL) for a token over a
SHA-256 digest, checked (status, digest, nonce, and the token's signature against the trusted roots,
TORELIK_TSA_TRUST_ROOTS), and checking a token kept. The transparency log's hourly checkpoints and
judicial acts (PAdES B-LTA) use it; `identity.timestamps.LocalTimestampAuthority` (`torelik tsa`) is
the local authority of development, tests and the demo.
"""

import datetime as dt
import functools
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from asn1crypto import algos, cms, pem, tsp, x509
from django.conf import settings
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext

from torelik.core.asyncrun import run_coroutine


class TimestampError(Exception):
    """The authority did not give a valid token (unreachable, refused, or a token that does not check)."""


@dataclass(frozen=True)
class Timestamp:
    token: bytes  # the TimeStampToken (CMS ContentInfo), DER
    moment: dt.datetime  # genTime
    authority: str


def _request(digest: bytes, nonce: int) -> tsp.TimeStampReq:
    return tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": tsp.MessageImprint(
                {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": digest}
            ),
            "nonce": nonce,
            "cert_req": True,
        }
    )


@functools.cache
def _client() -> httpx.Client:
    """One client per process: making an httpx client builds an SSL context (certificate store
    loaded), a tenth of a second per request otherwise."""
    return httpx.Client()


def request_timestamp(
    url: str, digest: bytes, *, timeout: float = 10.0, attempts: int = 3, roots: list[Path] | None = None
) -> Timestamp:
    """A token over `digest` (SHA-256) from the authority at `url`, tried `attempts` times; its
    signature is checked against `roots` (PEM/DER files; default: TORELIK_TSA_TRUST_ROOTS)."""
    nonce = secrets.randbits(63)
    body = _request(digest, nonce).dump()
    failures = []
    for attempt in range(attempts):
        try:
            answer = _client().post(
                url, content=body, headers={"Content-Type": "application/timestamp-query"}, timeout=timeout
            )
            if answer.status_code == 200:
                return _checked(tsp.TimeStampResp.load(answer.content), digest, nonce, url, roots)
            failures.append(f"HTTP {answer.status_code}")
        except httpx.HTTPError as error:
            failures.append(type(error).__name__)
        if attempt + 1 < attempts:
            time.sleep(0.5 * 2**attempt)
    raise TimestampError(f"the timestamp authority {url} gave no token: {'; '.join(failures)}")


def _checked(response: tsp.TimeStampResp, digest: bytes, nonce: int, url: str, roots: list[Path] | None) -> Timestamp:
    try:
        if response["status"]["status"].native not in ("granted", "granted_with_mods"):
            raise TimestampError(f"the timestamp authority refused: {response['status']['status'].native}")
        token = response["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        if info["message_imprint"]["hashed_message"].native != digest or info["nonce"].native != nonce:
            raise TimestampError("the token is not over the digest asked for")
        verify_token(token.dump(), digest, roots=roots)
        return Timestamp(token=token.dump(), moment=info["gen_time"].native, authority=url)
    except (KeyError, ValueError, TypeError) as error:
        raise TimestampError(f"the timestamp authority's answer cannot be read: {error}") from error


def _trust(roots: list[Path] | None) -> ValidationContext:
    if roots is None:
        roots = [Path(p) for p in settings.TORELIK_TSA_TRUST_ROOTS]
    loaded = [root for path in roots for root in _root(str(path), *_version(path))]
    return ValidationContext(trust_roots=loaded, allow_fetching=False)


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=32)
def _root(path: str, _mtime_ns: int, _size: int) -> tuple[x509.Certificate, ...]:
    """A trust root read and parsed once per version of its file (a changed file is read again):
    asn1crypto keeps the parsed names, so a validation against a root already loaded is cheaper."""
    data = Path(path).read_bytes()
    return (x509.Certificate.load(pem.unarmor(data)[2] if pem.detect(data) else data),)


def verify_token(token: bytes, digest: bytes, *, roots: list[Path] | None = None) -> dt.datetime:
    """The time in a timestamp token over `digest`, once its signature checks (TimestampError otherwise)."""
    info = cms.ContentInfo.load(token)
    signed = info["content"]
    found = run_coroutine(validate_tst_signed_data(signed, _trust(roots), lambda _algorithm: digest))
    status = TimestampSignatureStatus(**found)
    if not (status.intact and status.valid and status.trusted):
        raise TimestampError("the timestamp token's signature does not check")
    moment: dt.datetime = signed["encap_content_info"]["content"].parsed["gen_time"].native
    return moment
