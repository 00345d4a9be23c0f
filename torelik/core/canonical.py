"""Canonical JSON, the bytes that are signed or hashed: RFC 8785 (JSON Canonicalization Scheme), so that
anyone who holds the same value makes the same bytes (keys sorted by UTF-16 code units, ES6 numbers,
no white space). One encoder for the distribution's snapshots, the archive's log, the filing manifest,
the post's batch manifests and the exchange's letters."""

from typing import Any

import rfc8785


def canonical(value: Any) -> bytes:
    """`value` (dicts, lists, strings, integers, floats, booleans, None) as RFC 8785 bytes."""
    return rfc8785.dumps(value)
