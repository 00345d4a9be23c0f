#!/usr/bin/env python3
"""Checking Torelik's transparency log with nothing but Python's standard library: RFC 9162 inclusion
and consistency proofs, C2SP signed notes (checkpoints) and their Ed25519 signatures (RFC 8032,
section 5.1.7, written out here because the standard library has no Ed25519), cosignature/v1 lines.

Used by verify_distribution.py and verify_bag.py beside it; shares no code with Torelik.
"""

import base64
import hashlib
from dataclasses import dataclass

# Ed25519 (RFC 8032) --------------------------------------------------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_I = pow(2, (_P - 1) // 4, _P)


def _x_of(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _I % _P
    if (x * x - x2) % _P:
        return None
    return _P - x if (x & 1) != sign else x


Point = tuple[int, int, int, int]


def _add(p: Point, q: Point) -> Point:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _times(s: int, p: Point) -> Point:
    q: Point = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q


def _point(data: bytes) -> Point | None:
    y = int.from_bytes(data, "little")
    x = _x_of(y & ((1 << 255) - 1), y >> 255)
    return None if x is None else (x, y & ((1 << 255) - 1), 1, x * (y & ((1 << 255) - 1)) % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G: Point = (_x_of(_GY, 0) or 0, _GY, 1, (_x_of(_GY, 0) or 0) * _GY % _P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _point(public), _point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    left, right = _times(s, _G), _add(r, _times(h, a))
    return (left[0] * right[2] - right[0] * left[2]) % _P == 0 and (left[1] * right[2] - right[1] * left[2]) % _P == 0


# RFC 9162 -------------------------------------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes | None:
    """RFC 9162 section 2.1.3.2; None when the proof does not fit the tree."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 section 2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = ([first_root] if first & (first - 1) == 0 else []) + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# C2SP signed notes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: int  # Unix seconds, when the log signed it
    body: str
    signatures: list[str]


def parse_checkpoint(note: str) -> Checkpoint:
    """A checkpoint note of Torelik's log (ValueError if it is not one)."""
    body, separator, rest = note.partition("\n\n")
    if not separator:
        raise ValueError("a signed note has a blank line before its signatures")
    lines = body.split("\n")
    times = [line[5:] for line in lines[3:] if line.startswith("time ")]
    if len(lines) < 4 or len(times) != 1 or not times[0].isdigit():
        raise ValueError("a checkpoint has an origin, a size, a root hash and a time line")
    root = base64.b64decode(lines[2], validate=True)
    if len(root) != 32:
        raise ValueError("the root hash is not 32 bytes")
    return Checkpoint(lines[0], int(lines[1]), root, int(times[0]), body + "\n", [x for x in rest.split("\n") if x])


def _key_id(name: str, algorithm: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public).digest()[:4]


def parse_key(text: str) -> tuple[str, int, bytes]:
    """A C2SP verifier key `name+keyid+base64(algorithm || key)`: (name, algorithm, public key)."""
    name, key_id, key = text.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if len(raw) != 33 or raw[0] not in (1, 4) or _key_id(name, raw[0], raw[1:]).hex() != key_id:
        raise ValueError("not an Ed25519 or cosignature/v1 verifier key")
    return name, raw[0], raw[1:]


def signed_by(checkpoint: Checkpoint, key: str) -> bool:
    """Whether a signature line of the checkpoint is a valid Ed25519 signature by the verifier key."""
    name, algorithm, public = parse_key(key)
    for line in checkpoint.signatures:
        parts = line.removeprefix("\u2014 ").split(" ")
        if len(parts) != 2 or parts[0] != name:
            continue
        raw = base64.b64decode(parts[1])
        if algorithm == 1 and raw[:4] == _key_id(name, 1, public):
            return ed25519_verify(public, checkpoint.body.encode(), raw[4:])
    return False


def cosignatures(checkpoint: Checkpoint, keys: list[str]) -> dict[str, int]:
    """The witnesses (of `keys`, cosignature/v1) whose cosignature verifies, with the time they signed."""
    found: dict[str, int] = {}
    for key in keys:
        name, algorithm, public = parse_key(key)
        for line in checkpoint.signatures:
            parts = line.removeprefix("\u2014 ").split(" ")
            if algorithm != 4 or len(parts) != 2 or parts[0] != name:
                continue
            raw = base64.b64decode(parts[1])
            if len(raw) != 76 or raw[:4] != _key_id(name, 4, public):
                continue
            moment = int.from_bytes(raw[4:12], "big")
            message = f"cosignature/v1\ntime {moment}\n{checkpoint.body}".encode()
            if ed25519_verify(public, message, raw[12:]):
                found[name] = moment
    return found
