"""Checkpoints as C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) signed with Ed25519,
and witnesses' cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`, which signs its time too).

A checkpoint body is `<origin>\\n<size>\\n<base64 root hash>\\n` and one extension line `time <unix seconds>`
(the moment the log signed it: what a draw's proof in time compares with its beacon round). A
signature line is `— <key name> <base64(4-byte key id || signature)>`; the key id is the first four
bytes of SHA-256(key name || 0x0A || algorithm byte || public key): 0x01 for a note's Ed25519
signature, 0x04 for a timestamped cosignature.
"""

import base64
import binascii
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014 "


class NoteError(ValueError):
    """A key, note or signature that is not well formed, or a signature that does not verify."""


def key_id(name: str, algorithm: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public).digest()[:4]


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _valid_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError("a key name is non-empty, without spaces or '+'")
    return name


@dataclass(frozen=True)
class Signer:
    """A note signer: its name (the log's origin) and Ed25519 key."""

    name: str
    key: Ed25519PrivateKey

    @classmethod
    def parse(cls, text: str) -> "Signer":
        """`PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || 32-byte seed)>` (the format of Go's `note` package)."""
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("not a signed-note private key (PRIVATE+KEY+name+id+key)")
        try:
            raw = base64.b64decode(parts[4], validate=True)
        except binascii.Error as error:
            raise NoteError("the key is not base64") from error
        if len(raw) != 33 or raw[0] != ED25519:
            raise NoteError("only Ed25519 keys are supported")
        signer = cls(name=_valid_name(parts[2]), key=Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.key_id.hex() != parts[3]:
            raise NoteError("the key id does not match the key")
        return signer

    @classmethod
    def generate(cls, name: str) -> "Signer":
        return cls(name=_valid_name(name), key=Ed25519PrivateKey.generate())

    @property
    def public(self) -> bytes:
        return _raw(self.key.public_key())

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, ED25519, self.public)

    def private_text(self) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = self.key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ED25519]) + seed).decode()}"

    def verifier_text(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ED25519]) + self.public).decode()}"

    def sign(self, body: str) -> str:
        """The signed note: the body, a blank line, the signature line."""
        signature = self.key_id + self.key.sign(body.encode())
        return f"{body}\n{DASH}{self.name} {base64.b64encode(signature).decode()}\n"


@dataclass(frozen=True)
class Verifier:
    """A verifier key `<name>+<key id hex>+<base64(algorithm || public key)>`."""

    name: str
    algorithm: int
    public: bytes

    @classmethod
    def parse(cls, text: str) -> "Verifier":
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("not a verifier key (name+id+key)")
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except binascii.Error as error:
            raise NoteError("the key is not base64") from error
        if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
            raise NoteError("only Ed25519 and cosignature/v1 keys are supported")
        verifier = cls(name=_valid_name(parts[0]), algorithm=raw[0], public=raw[1:])
        if key_id(verifier.name, verifier.algorithm, verifier.public).hex() != parts[1]:
            raise NoteError("the key id does not match the key")
        return verifier

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.algorithm, self.public)

    def _check(self, signature: bytes, message: bytes) -> None:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature as error:
            raise NoteError(f"the signature of {self.name} does not verify") from error

    def verify_line(self, body: str, line: str) -> int | None:
        """Check one signature line of this key over `body`; the cosignature's time (Unix seconds) for
        a cosignature/v1 key, None for a plain signature. NoteError if it is not this key's or is wrong."""
        raw = _line_signature(line, self.name)
        if raw[:4] != self.key_id:
            raise NoteError(f"the signature line is not of the key {self.name}")
        if self.algorithm == ED25519:
            self._check(raw[4:], body.encode())
            return None
        if len(raw) != 4 + 8 + 64:
            raise NoteError("a cosignature is a key id, an 8-byte time and a 64-byte signature")
        moment = int.from_bytes(raw[4:12], "big")
        self._check(raw[12:], cosigned_message(body, moment))
        return moment


def cosigned_message(body: str, moment: int) -> bytes:
    return f"cosignature/v1\ntime {moment}\n{body}".encode()


def cosign(name: str, key: Ed25519PrivateKey, body: str, moment: int) -> str:
    """A cosignature/v1 line over a checkpoint body (what a witness does)."""
    raw = key_id(name, COSIGNATURE_V1, _raw(key.public_key())) + moment.to_bytes(8, "big")
    signature = raw + key.sign(cosigned_message(body, moment))
    return f"{DASH}{name} {base64.b64encode(signature).decode()}"


def cosigner_text(name: str, key: Ed25519PublicKey) -> str:
    public = _raw(key)
    encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + public).decode()
    return f"{name}+{key_id(name, COSIGNATURE_V1, public).hex()}+{encoded}"


def _line_signature(line: str, name: str) -> bytes:
    if not line.startswith(DASH):
        raise NoteError("a signature line starts with an em dash and a space")
    parts = line[len(DASH) :].rstrip("\n").split(" ")
    if len(parts) != 2 or parts[0] != name:
        raise NoteError(f"the signature line is not of the key {name}")
    try:
        return base64.b64decode(parts[1], validate=True)
    except binascii.Error as error:
        raise NoteError("the signature is not base64") from error


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    size: int
    root: bytes
    time: int  # Unix seconds, when the log signed it

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\ntime {self.time}\n"

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time, tz=dt.UTC)

    @classmethod
    def parse(cls, body: str) -> "CheckpointBody":
        lines = body.split("\n")
        if len(lines) < 4 or lines[-1] != "":
            raise NoteError("a checkpoint body is origin, size and root hash, each on its line")
        try:
            size = int(lines[1])
            root = base64.b64decode(lines[2], validate=True)
        except (ValueError, binascii.Error) as error:
            raise NoteError("the size or root hash of the checkpoint cannot be read") from error
        times = [line[5:] for line in lines[3:-1] if line.startswith("time ")]
        if size < 0 or len(root) != 32 or len(times) != 1 or not times[0].isdigit():
            raise NoteError("a checkpoint of this log has a size, a 32-byte root and one time line")
        return cls(origin=lines[0], size=size, root=root, time=int(times[0]))


def split_note(note: str) -> tuple[str, list[str]]:
    """The body of a signed note (with its final newline) and its signature lines."""
    body, separator, signatures = note.partition("\n\n")
    if not separator:
        raise NoteError("a signed note has a blank line before its signatures")
    return body + "\n", [line for line in signatures.split("\n") if line]
