"""Hybrid batches handed to the operator over SFTP (paramiko), when TORELIK_POST_OPERATOR_TRANSPORT is
"sftp" (ADR 0071). The same package as over HTTPS: `inbox/<batch>.zip`, then `inbox/<batch>.manifest.json`
(the manifest and its signature; written last, so its presence means the batch is complete), each
uploaded under a `.part` name and renamed. The operator answers with `outbox/<batch>.ack.json`, the
same per-item acknowledgement as its API's. Only the configured host key is trusted; every step has the
operator timeout; a failure raises `OperatorError` in words for staff, and the worker tries again."""

import base64
import io
import json
import stat
from dataclasses import dataclass
from typing import Any

import paramiko
from django.conf import settings
from pydantic import ValidationError

from torelik.post.errors import OperatorError
from torelik.post.operator_api import BatchAnswer


@dataclass(frozen=True)
class SftpTarget:
    host: str
    port: int
    user: str
    key_file: str
    host_key: str  # "ssh-ed25519 AAAA…"
    directory: str
    timeout: float

    @classmethod
    def from_settings(cls) -> "SftpTarget":
        return cls(
            host=settings.TORELIK_POST_SFTP_HOST,
            port=int(settings.TORELIK_POST_SFTP_PORT),
            user=settings.TORELIK_POST_SFTP_USER,
            key_file=settings.TORELIK_POST_SFTP_KEY_FILE,
            host_key=settings.TORELIK_POST_SFTP_HOST_KEY,
            directory=settings.TORELIK_POST_SFTP_DIR.rstrip("/") or ".",
            timeout=float(settings.TORELIK_POST_OPERATOR_TIMEOUT),
        )


def _client(target: SftpTarget) -> paramiko.SSHClient:
    if not (target.host and target.user and target.key_file and target.host_key):
        raise OperatorError("SFTP is chosen but its host, user, key or the operator's host key is not configured")
    client = paramiko.SSHClient()
    try:
        kind, blob = target.host_key.split()[:2]
        known = paramiko.PKey.from_type_string(kind, base64.b64decode(blob))
    except (ValueError, paramiko.SSHException) as error:
        raise OperatorError("the operator's SFTP host key in the settings is not readable") from error
    name = target.host if target.port == 22 else f"[{target.host}]:{target.port}"
    client.get_host_keys().add(name, known.get_name(), known)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())  # only the configured key is trusted
    try:
        client.connect(
            target.host,
            port=target.port,
            username=target.user,
            key_filename=target.key_file,
            timeout=target.timeout,
            banner_timeout=target.timeout,
            auth_timeout=target.timeout,
            channel_timeout=target.timeout,
            allow_agent=False,
            look_for_keys=False,
        )
    except paramiko.BadHostKeyException as error:
        client.close()
        raise OperatorError("the SFTP server's host key is not the operator's: nothing was sent") from error
    except paramiko.AuthenticationException as error:
        client.close()
        raise OperatorError("the SFTP server refused the court's key") from error
    except TimeoutError as error:
        client.close()
        raise OperatorError("the operator's SFTP server did not answer in time") from error
    except paramiko.SSHException as error:
        client.close()
        if "banner" in str(error).lower():  # connected, but the server never said who it is
            raise OperatorError("the operator's SFTP server did not answer in time") from error
        raise OperatorError(f"the operator's SFTP server could not be reached: {type(error).__name__}") from error
    except OSError as error:
        client.close()
        raise OperatorError(f"the operator's SFTP server could not be reached: {type(error).__name__}") from error
    return client


def _exists(sftp: paramiko.SFTPClient, path: str) -> int | None:
    try:
        attributes = sftp.stat(path)
    except FileNotFoundError:
        return None
    return attributes.st_size if attributes.st_mode is None or stat.S_ISREG(attributes.st_mode) else None


def _put(sftp: paramiko.SFTPClient, path: str, content: bytes) -> None:
    """Upload under a `.part` name and rename: the operator never reads half a file."""
    partial = f"{path}.part"
    sftp.putfo(io.BytesIO(content), partial, file_size=len(content), confirm=True)
    try:
        sftp.posix_rename(partial, path)
    except OSError:
        sftp.rename(partial, path)


def deliver_batch(
    target: SftpTarget, manifest: dict[str, Any], signature: str, package: bytes
) -> list[dict[str, Any]] | None:
    """Put the batch in the operator's inbox (once: a retry does not upload what is already there) and
    read its acknowledgement. Returns the acknowledged items, or None when the operator has not answered
    yet (the batch is handed over; the worker asks again later)."""
    number = str(manifest["batch"])
    inbox, outbox = f"{target.directory}/inbox", f"{target.directory}/outbox"
    head = json.dumps({"manifest": manifest, "signature": signature}).encode()
    client = _client(target)
    try:
        sftp = client.open_sftp()
        sftp.get_channel().settimeout(target.timeout)  # type: ignore[union-attr]
        if _exists(sftp, f"{inbox}/{number}.zip") != len(package):
            _put(sftp, f"{inbox}/{number}.zip", package)
        if _exists(sftp, f"{inbox}/{number}.manifest.json") != len(head):
            _put(sftp, f"{inbox}/{number}.manifest.json", head)
        if _exists(sftp, f"{outbox}/{number}.ack.json") is None:
            return None
        with sftp.open(f"{outbox}/{number}.ack.json", "rb") as answer:
            raw = answer.read()
    except TimeoutError as error:
        raise OperatorError("the operator's SFTP server did not answer in time") from error
    except PermissionError as error:
        raise OperatorError("the operator's SFTP server refused to store the batch (permission denied)") from error
    except (OSError, paramiko.SSHException) as error:
        raise OperatorError(f"the SFTP hand-over failed: {type(error).__name__} {error}"[:280]) from error
    finally:
        client.close()
    try:
        body = json.loads(raw)
        if isinstance(body, dict) and body.get("error"):
            raise OperatorError(f"the operator refused the batch: {str(body['error'])[:120]}")
        return [a.model_dump() for a in BatchAnswer.model_validate(body).items]
    except (ValueError, ValidationError) as error:
        raise OperatorError("the operator's acknowledgement is not readable") from error
