"""A private Kannel (bearerbox + smsbox + the fakesmsc test SMSC) on free loopback ports, for the
integration tests and the benchmark: a temporary kannel.conf, started in the foreground order the
recipes give, ready when status.txt shows the fake SMSC online and an smsbox connected."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
USER = "torelik"
PASSWORD = "kannel-test-pw"  # noqa: S105 - a throw-away local gateway's password
ADMIN_PASSWORD = "kannel-admin-pw"  # noqa: S105 - a throw-away local gateway's password
STATUS_PASSWORD = "kannel-status-pw"  # noqa: S105 - a throw-away local gateway's password

CONFIG = """group = core
admin-port = {admin}
admin-interface = 127.0.0.1
admin-password = {admin_password}
status-password = {status_password}
admin-allow-ip = 127.0.0.1
smsbox-port = {smsbox}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
box-deny-ip = "*.*.*.*"
log-file = "{dir}/bearerbox.log"
log-level = 2
access-log = "{dir}/access.log"
dlr-storage = internal
sms-resend-retry = 0

group = smsc
smsc = fake
smsc-id = FAKE
port = {fake}
our-host = 127.0.0.1
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {smsbox}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
global-sender = 7000
log-file = "{dir}/smsbox.log"
log-level = 2
access-log = "{dir}/smsbox-access.log"
http-request-retry = 2

group = sendsms-user
username = {user}
password = {password}
max-messages = 5
concatenation = true

group = sms-service
keyword = default
text = "no service"
catch-all = true
"""


def installed() -> bool:
    return all(Path(path).exists() for path in (BEARERBOX, SMSBOX, FAKESMSC))


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass(frozen=True)
class ReceivedSms:
    sender: str
    to: str
    text: str
    parts: int


def _decode_part(payload: str) -> str:
    raw = urllib.parse.unquote_to_bytes(payload.replace("+", "%20"))
    # A UCS-2 part: the high byte of every Latin/Cyrillic/Kazakh character is below 0x20.
    if len(raw) % 2 == 0 and raw and all(byte < 0x20 for byte in raw[0::2]):
        return raw.decode("utf-16-be")
    return raw.decode("utf-8", errors="replace")


@dataclass
class Kannel:
    directory: Path
    admin_port: int
    smsbox_port: int
    fake_port: int
    sendsms_port: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    @property
    def fake_output(self) -> Path:
        return self.directory / "fake.out"

    def status(self) -> str:
        url = f"http://127.0.0.1:{self.admin_port}/status.txt"
        return httpx.get(url, params={"password": STATUS_PASSWORD}, timeout=2).text

    def received(self) -> list[tuple[str, str, str]]:
        """(from, to, text) of every SMS the fake SMSC got, concatenated parts joined, UCS-2 decoded."""
        return [(sms.sender, sms.to, sms.text) for sms in self.received_sms()]

    def received_sms(self) -> list["ReceivedSms"]:
        """fakesmsc logs `Got message N: <from to kind text>`: kind `text` (GSM, as sent), `ucs-2`
        (URL-encoded UTF-16BE) or `udh <header> data <payload>` for each part of a long SMS (header
        05 00 03 ref total seq; the payload is UTF-16BE when the text was UCS-2)."""
        whole: list[ReceivedSms] = []
        pending: dict[tuple[str, str, int], dict[int, str]] = {}
        if not self.fake_output.exists():
            return whole
        for line in self.fake_output.read_bytes().decode("utf-8", errors="replace").splitlines():
            marker = line.find("Got message ")
            if marker < 0:
                continue
            body = line[line.index("<", marker) + 1 :].removesuffix(">")
            sender, to, kind, text = ([*body.split(" ", 3), "", "", "", ""])[:4]
            if kind.startswith("ucs"):
                whole.append(ReceivedSms(sender, to, urllib.parse.unquote_plus(text, encoding="utf-16-be"), 1))
            elif kind == "udh":
                header_text, _data, payload = ([*text.split(" ", 2), "", ""])[:3]
                header = urllib.parse.unquote_to_bytes(header_text)
                ref, total, seq = header[3], header[4], header[5]
                parts = pending.setdefault((sender, to, ref), {})
                parts[seq] = _decode_part(payload)
                if len(parts) == total:
                    joined = "".join(parts[n] for n in sorted(parts))
                    whole.append(ReceivedSms(sender, to, joined, total))
                    del pending[(sender, to, ref)]
            else:
                whole.append(ReceivedSms(sender, to, urllib.parse.unquote_plus(text), 1))
        return whole

    def stop(self) -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{self.admin_port}/shutdown", params={"password": ADMIN_PASSWORD}, timeout=2)
        deadline = time.monotonic() + 5
        for process in reversed(self.processes):
            remaining = max(deadline - time.monotonic(), 0.1)
            try:
                process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def start(directory: Path | None = None, *, timeout: float = 15.0) -> Kannel:
    """Start a private Kannel; raises RuntimeError (with the logs' tail) if it does not become ready."""
    workdir = directory or Path(tempfile.mkdtemp(prefix="torelik-kannel-"))
    admin, smsbox, fake, sendsms = _free_ports(4)
    kannel = Kannel(workdir, admin, smsbox, fake, sendsms)
    conf = workdir / "kannel.conf"
    conf.write_text(
        CONFIG.format(
            admin=admin,
            smsbox=smsbox,
            fake=fake,
            sendsms=sendsms,
            dir=workdir,
            user=USER,
            password=PASSWORD,
            admin_password=ADMIN_PASSWORD,
            status_password=STATUS_PASSWORD,
        )
    )
    devnull = subprocess.DEVNULL
    try:
        kannel.processes.append(subprocess.Popen([BEARERBOX, "-v", "4", str(conf)], stdout=devnull, stderr=devnull))  # noqa: S603
        deadline = time.monotonic() + timeout
        # smsbox gives up at once if bearerbox is not listening yet, and so does fakesmsc.
        while not (_listening(smsbox) and _listening(fake)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"bearerbox did not open its ports {smsbox} and {fake}")
            time.sleep(0.05)
        kannel.processes.append(subprocess.Popen([SMSBOX, "-v", "4", str(conf)], stdout=devnull, stderr=devnull))  # noqa: S603
        # fakesmsc: -i 0 -m 0 sends nothing itself and runs until killed; it prints what it receives.
        with kannel.fake_output.open("wb") as output:
            kannel.processes.insert(
                0,
                subprocess.Popen(  # noqa: S603
                    [FAKESMSC, "-H", "127.0.0.1", "-r", str(fake), "-i", "0", "-m", "0", "111 222 text nop"],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                ),
            )
        while True:
            try:
                status = kannel.status()
            except httpx.HTTPError:
                status = ""
            if "FAKE:" in status and "(online" in status and "smsbox:" in status.lower():
                return kannel
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kannel not ready:\n{status}")
            time.sleep(0.05)
    except BaseException:
        kannel.stop()
        raise


def cleanup(kannel: Kannel) -> None:
    kannel.stop()
    if os.environ.get("TORELIK_KEEP_KANNEL_LOGS") is None:
        shutil.rmtree(kannel.directory, ignore_errors=True)
