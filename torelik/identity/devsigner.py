"""The development signer: a small local WebSocket server that speaks NCALayer's protocol with the
demo CA's PKCS#12 keys, so that the EDS login and signed filings work without NCALayer.

Loopback only, and clearly labelled: it signs whatever it is asked to, without asking anybody.
Both protocols of NCALayer are understood:

- `{"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {data, signingParams: {decode,
  encapsulate}, signerParams: {extKeyUsageOids, iin, bin}}}` -> `{"status": true, "body": {"result": [cms]}}`;
- `{"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64",
  "args": [storage, "SIGNATURE" | "AUTHENTICATION", data, attach]}` -> `{"code": "200", "responseObject": cms}`.

The AUTH or the SIGN key is chosen by the request (clientAuth / emailProtection OID, or the key type).

Only pages of the Torelik site may ask it: a browser names the page's origin in the WebSocket
handshake, and any other origin is refused (403) before a request is read, so that another web page
the developer opens cannot have it sign. The allowed origins are `allowed_origins`, else the setting
`TORELIK_DEV_SIGNER_ORIGINS`, else the site's address (`TORELIK_PUBLIC_URL`) and `make run`'s local
addresses. A connection without an Origin is not from a web page (browsers always send one) and is
answered.
"""

import asyncio
import base64
import binascii
import ipaddress
import json
import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from torelik.core.asyncrun import run_coroutine
from torelik.identity.pki import DEMO_PASSWORD, IssuedCertificate, KeyPurpose, pyhanko_signer

logger = logging.getLogger("torelik.identity.devsigner")

OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
OID_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4"
BASICS = "kz.gov.pki.knca.basics"
COMMON_UTILS = "kz.gov.pki.knca.commonUtils"


#: The addresses `make run` serves the site on.
LOCAL_SITE_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class DevSignerError(Exception):
    pass


def web_origin(url: str) -> str:
    """The origin of `url` as a browser sends it (`http://127.0.0.1:8000`: scheme, host, port but
    not a default one, no path), or "" when `url` has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def site_origins() -> tuple[str, ...]:
    """The origins whose pages may ask the signer by default: `TORELIK_DEV_SIGNER_ORIGINS` when the
    settings name them, else the site's public address and the local addresses of `make run`."""
    from django.conf import settings  # noqa: PLC0415 - the signer also runs without Django settings

    if not settings.configured:
        return LOCAL_SITE_ORIGINS
    configured = getattr(settings, "TORELIK_DEV_SIGNER_ORIGINS", None)
    if configured:
        names = [configured] if isinstance(configured, str) else list(configured)
        return tuple(dict.fromkeys(o for o in map(web_origin, names) if o))
    public = web_origin(str(getattr(settings, "TORELIK_PUBLIC_URL", "")))
    return tuple(dict.fromkeys(o for o in (public, *LOCAL_SITE_ORIGINS) if o))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_demo_keys(directory: Path, iin: str) -> dict[KeyPurpose, IssuedCertificate]:
    """The person's `<iin>-auth.p12` and `<iin>-sign.p12` written by `torelik pki demo-ca`."""
    keys = {}
    for purpose in KeyPurpose:
        path = directory / f"{iin}-{purpose.value}.p12"
        if not path.exists():
            raise DevSignerError(f"{path} is missing: run `torelik pki demo-ca --dir {directory}` first.")
        keys[purpose] = IssuedCertificate.from_pkcs12(path.read_bytes(), DEMO_PASSWORD)
    return keys


@dataclass
class DevSigner:
    """What the signer signs with, and how it answers (tests may make it refuse like a user who cancels)."""

    keys: Mapping[KeyPurpose, IssuedCertificate]
    iin: str = ""
    cancel: bool = False
    #: Answer like an older NCALayer that knows only the legacy commonUtils module.
    legacy_only: bool = False
    #: The origins (`http://127.0.0.1:8000`) of the pages that may ask it to sign.
    allowed_origins: tuple[str, ...] = LOCAL_SITE_ORIGINS
    requests: list[dict[str, Any]] = field(default_factory=list)
    refused_origins: list[str] = field(default_factory=list)

    def refusal(self, origin: str | None) -> str | None:
        """Why a page of `origin` may not use the signer, or None when it may (no Origin: not a page)."""
        if origin is None or web_origin(origin) in self.allowed_origins:
            return None
        return (
            f"The development signer refuses the page of {origin}: it signs only for "
            f"{', '.join(self.allowed_origins) or 'no site'}. Add that origin with allowed_origins "
            "(or the setting TORELIK_DEV_SIGNER_ORIGINS) if it is your Torelik site."
        )

    def check_origin(self, connection: ServerConnection, request: Request) -> Response | None:
        """The handshake's check (websockets' `process_request`): 403 with the reason, or go on."""
        origin = request.headers.get("Origin")
        reason = self.refusal(origin)
        if reason is None:
            return None
        self.refused_origins.append(str(origin))
        logger.warning("dev signer: %s", reason)
        return connection.respond(HTTPStatus.FORBIDDEN, reason + "\n")

    def answer(self, raw: str | bytes) -> dict[str, Any]:
        """The reply to one request (never raises: errors are replies, as in NCALayer)."""
        try:
            request = json.loads(raw)
            if not isinstance(request, dict):
                raise TypeError("not an object")
        except (ValueError, TypeError):
            return {"status": False, "code": "400", "message": "The request is not a JSON object."}
        self.requests.append(request)
        module, method = request.get("module"), request.get("method")
        if module == BASICS and self.legacy_only:
            return {"status": False, "code": "500", "message": f"Module {BASICS} is not available."}
        if module == BASICS and method == "sign":
            return self._basics(request.get("args") or {})
        if module == COMMON_UTILS and method in ("createCAdESFromBase64", "createCAdESFromBase64Hash"):
            return self._legacy(request.get("args") or [])
        if module == COMMON_UTILS and method == "getActiveTokens":
            return {"code": "200", "responseObject": ["PKCS12"]}
        if module == BASICS:
            return {"status": False, "code": "404", "message": f"Unknown method {method!r}."}
        return {"code": "500", "message": f"Unknown module or method: {module}.{method}"}

    def _basics(self, args: Mapping[str, Any]) -> dict[str, Any]:
        if self.cancel:
            return {"status": True, "body": {}}  # what NCALayer answers when the user closes the dialog
        signing = args.get("signingParams") or {}
        signer_params = args.get("signerParams") or {}
        oids = [str(oid) for oid in signer_params.get("extKeyUsageOids") or []]
        purpose = KeyPurpose.AUTHENTICATION if OID_CLIENT_AUTH in oids else KeyPurpose.SIGNING
        wanted_iin = signer_params.get("iin")
        if wanted_iin and self.iin and str(wanted_iin) != self.iin:
            return {"status": False, "code": "500", "message": f"No key for IIN {wanted_iin}."}
        try:
            data = self._data(args.get("data", ""), decode=bool(signing.get("decode", True)))
            cms = self._sign(data, purpose, detached=not bool(signing.get("encapsulate", True)))
        except DevSignerError as error:
            return {"status": False, "code": "500", "message": str(error)}
        return {"status": True, "body": {"result": [cms]}}

    def _legacy(self, args: list[Any]) -> dict[str, Any]:
        if self.cancel:
            return {"code": "500", "message": "action.canceled"}
        if len(args) < 3:
            return {"code": "500", "message": "createCAdESFromBase64 takes [storage, keyType, data, attach]."}
        key_type = str(args[1]).upper()
        purpose = KeyPurpose.AUTHENTICATION if key_type == "AUTHENTICATION" else KeyPurpose.SIGNING
        attach = bool(args[3]) if len(args) > 3 else False
        try:
            cms = self._sign(self._data(args[2], decode=True), purpose, detached=not attach)
        except DevSignerError as error:
            return {"code": "500", "message": str(error)}
        return {"code": "200", "responseObject": cms}

    @staticmethod
    def _data(value: Any, *, decode: bool) -> bytes:
        if not isinstance(value, str):
            raise DevSignerError("data must be a string")
        if not decode:
            return value.encode()
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise DevSignerError("data is not valid base64") from error

    def _sign(self, data: bytes, purpose: KeyPurpose, *, detached: bool) -> str:
        issued = self.keys.get(purpose)
        if issued is None:
            raise DevSignerError(f"No {purpose.value} key loaded.")
        signer = pyhanko_signer(issued)
        info = run_coroutine(signer.async_sign_general_data(data, "sha256", detached=detached, use_cades=True))
        return base64.b64encode(info.dump()).decode()

    async def handle(self, connection: ServerConnection) -> None:
        try:
            async for message in connection:
                reply = await asyncio.to_thread(self.answer, message)
                logger.info("dev signer: %s.%s", reply.get("code", ""), reply.get("status", ""))
                await connection.send(json.dumps(reply))
        except ConnectionClosed:
            return


class RunningDevSigner:
    """A dev signer serving on its own thread and event loop; `stop()` ends it."""

    def __init__(self, signer: DevSigner, host: str, port: int) -> None:
        if not is_loopback(host):
            raise DevSignerError(f"The development signer listens on loopback only, not on {host}.")
        self.signer = signer
        self.host = host
        self._requested_port = port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._server: Server | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="torelik-dev-signer", daemon=True)

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def start(self) -> "RunningDevSigner":
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise DevSignerError("The development signer did not start within 10 seconds.")
        if self._error is not None:
            raise DevSignerError(f"The development signer could not start: {self._error}") from self._error
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def open_server() -> Server:
            return await serve(
                self.signer.handle,
                self.host,
                self._requested_port,
                max_size=16 * 1024 * 1024,
                process_request=self.signer.check_origin,
            )

        try:
            self._server = self._loop.run_until_complete(open_server())
        except Exception as error:  # noqa: BLE001 - reported to the starting thread
            self._loop.close()
            self._error = error
            self._ready.set()
            return
        self.port = int(next(iter(self._server.sockets)).getsockname()[1])
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def stop(self) -> None:
        server = self._server
        if server is None:
            return

        async def close() -> None:
            server.close()
            await server.wait_closed()

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._server = None

    def __enter__(self) -> "RunningDevSigner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_dev_signer(
    *,
    keys: Mapping[KeyPurpose, IssuedCertificate] | None = None,
    directory: Path | None = None,
    iin: str = "",
    host: str = "127.0.0.1",
    port: int = 0,
    cancel: bool = False,
    legacy_only: bool = False,
    allowed_origins: Iterable[str] | None = None,
) -> RunningDevSigner:
    """A running dev signer (port 0: a free port; see `.url`), with `keys` or the demo files of `iin`,
    answering pages of `allowed_origins` only (default: `site_origins()`)."""
    if keys is None:
        if directory is None or not iin:
            raise DevSignerError("Give the keys, or the demo CA directory and an IIN.")
        keys = load_demo_keys(directory, iin)
    origins = site_origins() if allowed_origins is None else tuple(dict.fromkeys(map(web_origin, allowed_origins)))
    if any(not origin for origin in origins):
        raise DevSignerError(f"An allowed origin is not an http(s) address: {list(allowed_origins or [])}.")
    signer = DevSigner(keys=keys, iin=iin, cancel=cancel, legacy_only=legacy_only, allowed_origins=origins)
    running = RunningDevSigner(signer, host, port).start()
    logger.info("dev signer: answers pages of %s", ", ".join(origins))
    return running


def banner(*, iin: str, url: str, origins: Iterable[str] | None = None) -> str:
    """The big warning printed when the development signer starts."""
    allowed = ", ".join(site_origins() if origins is None else origins)
    lines = [
        "",
        "DEVELOPMENT SIGNER - NOT NCALayer - DEMO KEYS ONLY - NEVER IN PRODUCTION",
        "",
        f"Signs every request with the demo keys of IIN {iin or '-'}",
        f"Listening on {url}",
        f"for pages of {allowed}",
        "",
    ]
    border = "#" * 80
    body = [f"#{line:^78}#" for line in lines]
    return "\n".join(["", border, *body, border, ""])
