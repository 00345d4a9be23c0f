"""The development signer speaks NCALayer's protocols; its signatures verify with the right key purpose."""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from torelik.identity.devsigner import (
    LOCAL_SITE_ORIGINS,
    DevSignerError,
    RunningDevSigner,
    site_origins,
    start_dev_signer,
)
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError, verify_detached
from torelik.identity.pki import IssuedCertificate, KeyPurpose
from torelik.identity.tests.conftest import CITIZEN_IIN

DATA = b"Torelik login abc"


@pytest.fixture
def signer(citizen_auth: IssuedCertificate, citizen_sign: IssuedCertificate) -> Iterator[RunningDevSigner]:
    running = start_dev_signer(
        keys={KeyPurpose.AUTHENTICATION: citizen_auth, KeyPurpose.SIGNING: citizen_sign}, iin=CITIZEN_IIN
    )
    yield running
    running.stop()


def ask(url: str, request: dict[str, Any]) -> dict[str, Any]:
    with connect(url, open_timeout=5) as socket:
        socket.send(json.dumps(request))
        reply: dict[str, Any] = json.loads(socket.recv(timeout=10))
        return reply


def basics(oid: str, **signer_params: str) -> dict[str, Any]:
    return {
        "module": "kz.gov.pki.knca.basics",
        "method": "sign",
        "args": {
            "allowedStorages": ["PKCS12"],
            "format": "cms",
            "data": base64.b64encode(DATA).decode(),
            "signingParams": {"decode": True, "encapsulate": False, "digested": False},
            "signerParams": {"extKeyUsageOids": [oid], "chain": [], **signer_params},
            "locale": "ru",
        },
    }


def test_the_basics_api_signs_with_the_auth_key(signer: RunningDevSigner) -> None:
    reply = ask(signer.url, basics("1.3.6.1.5.5.7.3.2"))
    assert reply["status"] is True
    cms = base64.b64decode(reply["body"]["result"][0])
    assert verify_detached(DATA, cms, purpose=KeyPurpose.AUTHENTICATION).iin == CITIZEN_IIN


def test_the_basics_api_signs_with_the_sign_key(signer: RunningDevSigner) -> None:
    reply = ask(signer.url, basics("1.3.6.1.5.5.7.3.4"))
    cms = base64.b64decode(reply["body"]["result"][0])
    assert verify_detached(DATA, cms, purpose=KeyPurpose.SIGNING).iin == CITIZEN_IIN
    with pytest.raises(SignatureRefusedError) as raised:
        verify_detached(DATA, cms, purpose=KeyPurpose.AUTHENTICATION)
    assert raised.value.code == SignatureRefusal.WRONG_KEY_PURPOSE


def test_the_legacy_api_signs_by_key_type(signer: RunningDevSigner) -> None:
    for key_type, purpose in (("AUTHENTICATION", KeyPurpose.AUTHENTICATION), ("SIGNATURE", KeyPurpose.SIGNING)):
        reply = ask(
            signer.url,
            {
                "module": "kz.gov.pki.knca.commonUtils",
                "method": "createCAdESFromBase64",
                "args": ["PKCS12", key_type, base64.b64encode(DATA).decode(), False],
            },
        )
        assert reply["code"] == "200"
        assert verify_detached(DATA, base64.b64decode(reply["responseObject"]), purpose=purpose).iin == CITIZEN_IIN


def test_a_request_for_another_persons_key_is_refused(signer: RunningDevSigner) -> None:
    reply = ask(signer.url, basics("1.3.6.1.5.5.7.3.2", iin="760212350620"))
    assert reply["status"] is False


def test_bad_requests_get_error_replies(signer: RunningDevSigner) -> None:
    assert ask(signer.url, {"module": "nope", "method": "x"})["code"] == "500"
    with connect(signer.url, open_timeout=5) as socket:
        socket.send("not json")
        assert json.loads(socket.recv(timeout=10))["status"] is False


def test_a_cancelled_dialog_answers_with_an_empty_body(citizen_auth: IssuedCertificate) -> None:
    with start_dev_signer(keys={KeyPurpose.AUTHENTICATION: citizen_auth}, cancel=True) as running:
        assert ask(running.url, basics("1.3.6.1.5.5.7.3.2")) == {"status": True, "body": {}}


def ask_from(url: str, origin: str, request: dict[str, Any]) -> dict[str, Any]:
    """`request` as a page of `origin` in a browser sends it (the handshake names the page's origin)."""
    with connect(url, open_timeout=5, origin=Origin(origin)) as socket:
        socket.send(json.dumps(request))
        reply: dict[str, Any] = json.loads(socket.recv(timeout=10))
        return reply


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:8001", "null", "file://"])
def test_a_page_of_another_origin_is_refused_before_anything_is_signed(signer: RunningDevSigner, origin: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        ask_from(signer.url, origin, basics("1.3.6.1.5.5.7.3.2"))
    response = refused.value.response
    assert response.status_code == 403
    assert f"refuses the page of {origin}" in response.body.decode()
    assert "http://127.0.0.1:8000" in response.body.decode()  # it says which site it serves
    assert signer.signer.requests == []
    assert signer.signer.refused_origins == [origin]


def test_pages_of_the_site_are_answered(signer: RunningDevSigner) -> None:
    for origin in ("http://127.0.0.1:8000", "http://localhost:8000"):
        reply = ask_from(signer.url, origin, basics("1.3.6.1.5.5.7.3.2"))
        assert reply["status"] is True


def test_the_allowed_origins_are_configured(citizen_auth: IssuedCertificate, settings: Any) -> None:
    keys = {KeyPurpose.AUTHENTICATION: citizen_auth}
    with start_dev_signer(keys=keys, allowed_origins=["https://torelik.test:8443/ru/"]) as running:
        assert ask_from(running.url, "https://torelik.test:8443", basics("1.3.6.1.5.5.7.3.2"))["status"] is True
        with pytest.raises(InvalidStatus):
            ask_from(running.url, "http://127.0.0.1:8000", basics("1.3.6.1.5.5.7.3.2"))
    # By default: the site's public address and make run's local addresses, or the setting.
    settings.TORELIK_PUBLIC_URL = "https://sud.example.kz"
    assert set(site_origins()) == {"https://sud.example.kz", *LOCAL_SITE_ORIGINS}
    settings.TORELIK_DEV_SIGNER_ORIGINS = ["http://localhost:9000/"]
    assert site_origins() == ("http://localhost:9000",)
    with start_dev_signer(keys=keys) as running:
        assert ask_from(running.url, "http://localhost:9000", basics("1.3.6.1.5.5.7.3.2"))["status"] is True
        with pytest.raises(InvalidStatus):
            ask_from(running.url, "https://sud.example.kz", basics("1.3.6.1.5.5.7.3.2"))


def test_it_listens_on_loopback_only(citizen_auth: IssuedCertificate) -> None:
    with pytest.raises(DevSignerError):
        start_dev_signer(keys={KeyPurpose.AUTHENTICATION: citizen_auth}, host="0.0.0.0")  # noqa: S104 - refused


def test_missing_demo_files_are_explained(tmp_path: Any) -> None:
    with pytest.raises(DevSignerError, match="torelik pki demo-ca"):
        start_dev_signer(directory=tmp_path, iin=CITIZEN_IIN)


def test_the_command_refuses_a_non_loopback_address() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="loopback only"):
        call_command("dev-signer", "--host", "0.0.0.0")  # noqa: S104 - refused
    with pytest.raises(CommandError, match="torelik pki demo-ca"):
        call_command("dev-signer", "--dir", "/nonexistent-torelik-pki", "--port", "0")
