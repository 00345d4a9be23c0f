"""Builders shared by the filing tests (the fixtures and the drafts they make are in conftest.py)."""

from collections.abc import Callable

from torelik.identity.pki import IssuedCertificate

API = "/api/v1"
# The `certificate` fixture: a SIGNING certificate of the demo CA for an IIN (the claimant's by default).
Certificate = Callable[..., IssuedCertificate]
