"""The secrets a person types on the public pages: subpoena codes, SMS logins and their one-time
passwords. Only keyed hashes are kept (HMAC-SHA256 under the server's key, ADR 0028)."""

import hmac
import secrets

from torelik.core.tokens import keyed_digest, keyed_digests

CODE_DIGITS = 6
LOGIN_DIGITS = 8
PASSWORD_LENGTH = 8
# No 0/o, 1/l/i: a password read from an SMS is typed by hand.
PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105 - an alphabet, not a password


def keyed_hash(*parts: str) -> str:
    """HMAC-SHA256 of the parts under the server's key for subpoenas (`core.tokens.keyed_digest`)."""
    return keyed_digest("torelik.summons", *parts)


def new_code() -> str:
    """A subpoena code of CODE_DIGITS digits (leading zeros kept)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


VERIFY_LENGTH = 12  # 31^12, about 2^59: not found by trying, short enough to type from paper


def new_verify_code() -> str:
    """The code a subpoena's QR carries for its check (typed by hand from the paper if need be)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(VERIFY_LENGTH))


def new_login() -> str:
    return f"{secrets.randbelow(9 * 10 ** (LOGIN_DIGITS - 1)) + 10 ** (LOGIN_DIGITS - 1)}"


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def code_hash(phone: str, code: str) -> str:
    return keyed_hash("subpoena", phone, code)


def code_hashes(phone: str, code: str) -> list[str]:
    """What a typed code is looked up by: its hash under the current key and each fallback key."""
    return keyed_digests("torelik.summons", "subpoena", phone, code)


def password_hash(login: str, password: str) -> str:
    return keyed_hash("documents", login, password)


def password_hashes(login: str, password: str) -> list[str]:
    return keyed_digests("torelik.summons", "documents", login, password)


def throttle_key(kind: str, value: str) -> str:
    """What the failed-attempt counter is keyed by: a hash, so that unknown numbers typed on the
    public page are not kept in clear."""
    return keyed_hash("throttle", kind, value)[:40]


def clean_code(raw: str) -> str:
    """The digits of a code as typed (spaces and dashes dropped)."""
    return "".join(ch for ch in raw if ch.isdigit())


def clean_password(raw: str) -> str:
    return raw.strip().lower()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
