"""A private OpenSSH server (Debian's sshd) on a free loopback port, for the SFTP tests and the
benchmark: its own configuration, host key and the court's authorized key in a temporary directory,
`internal-sftp` confined to the operator's home (`inbox/`, `outbox/`). Nothing of the machine's own
sshd is used or touched."""

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SSHD = "/usr/sbin/sshd"


class SshdUnavailableError(RuntimeError):
    pass


@dataclass(frozen=True)
class Sshd:
    port: int
    root: Path  # the operator's SFTP home: inbox/ and outbox/
    host_key: str  # "ssh-ed25519 AAAA…"
    client_key: Path
    user: str


def available() -> bool:
    return Path(SSHD).exists() and shutil.which("ssh-keygen") is not None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def keygen(path: Path) -> str:
    """A new Ed25519 key pair at `path`; returns the public line."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)  # noqa: S603,S607
    return Path(f"{path}.pub").read_text().strip()


@contextlib.contextmanager
def running_sshd(directory: Path) -> Iterator[Sshd]:
    if not available():
        raise SshdUnavailableError("OpenSSH's sshd not found: apt-get install openssh-server")
    home, root = directory / "sshd", directory / "operator"
    (root / "inbox").mkdir(parents=True)
    (root / "outbox").mkdir()
    home.mkdir()
    host_public = keygen(home / "host_key")
    (home / "authorized_keys").write_text(keygen(home / "court_key") + "\n")
    port, user = free_port(), getpass.getuser()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {home / 'host_key'}",
                f"PidFile {home / 'sshd.pid'}",
                f"AuthorizedKeysFile {home / 'authorized_keys'}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                f"AllowUsers {user}",
                "Subsystem sftp internal-sftp",
                f"ForceCommand internal-sftp -d {root}",
                "LogLevel ERROR",
                "",
            ]
        )
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise SshdUnavailableError(f"sshd did not start: {error}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SshdUnavailableError("sshd did not listen within 10 s") from None
                time.sleep(0.05)
        yield Sshd(
            port=port, root=root, host_key=" ".join(host_public.split()[:2]), client_key=home / "court_key", user=user
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
