"""What is kept of a short code sent by SMS: a keyed hash that a copy of the database cannot undo."""

import hashlib
import hmac

from django.test import override_settings

from torelik.core.tokens import keyed_digest


@override_settings(SECRET_KEY="a-test-secret")
def test_a_short_code_is_kept_as_hmac_sha256_under_a_key_of_the_server_secret() -> None:
    # RFC 2104 HMAC computed here by hand: the subpoena codes already stored were hashed this way.
    key = hashlib.sha256(b"torelik.summons:a-test-secret").digest()
    expected = hmac.new(key, b"subpoena\x1f+77011234567\x1f042917", hashlib.sha256).hexdigest()
    assert keyed_digest("torelik.summons", "subpoena", "+77011234567", "042917") == expected


def test_without_the_server_secret_the_code_cannot_be_found_by_trying_all_codes() -> None:
    with override_settings(SECRET_KEY="the-real-secret"):
        kept = keyed_digest("torelik.filing", "phone", "+77011234567", "042917")
    with override_settings(SECRET_KEY="a-guessed-secret"):
        tried = {keyed_digest("torelik.filing", "phone", "+77011234567", f"{n:06d}") for n in range(40000, 45000)}
    assert kept not in tried


def test_the_namespaces_and_parts_do_not_collide() -> None:
    assert keyed_digest("torelik.filing", "a", "bc") != keyed_digest("torelik.filing", "ab", "c")
    assert keyed_digest("torelik.filing", "a") != keyed_digest("torelik.summons", "a")
