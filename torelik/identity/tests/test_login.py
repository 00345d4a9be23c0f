"""Logging in with the AUTH key over a one-time challenge: actions, the API and the page."""

import base64
import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import translation

from torelik.core import clock
from torelik.identity import actions
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError
from torelik.identity.errors import LoginError, LoginErrorCode
from torelik.identity.models import AccountKind, LoginChallenge, OrganisationMember, Person, User
from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose, sign_detached
from torelik.identity.tests.conftest import CITIZEN_IIN, COMPANY_BIN, EMPLOYEE_IIN

pytestmark = pytest.mark.django_db


def test_first_login_creates_the_citizens_account(citizen_auth: IssuedCertificate) -> None:
    challenge = actions.issue_login_challenge()
    result = actions.log_in_with_signature(
        nonce=challenge.nonce, signature=sign_detached(challenge.content, citizen_auth)
    )
    assert result.created
    assert result.user.kind == AccountKind.CITIZEN
    assert not result.user.has_usable_password()
    person = Person.objects.get(iin=CITIZEN_IIN)
    assert result.user.person == person
    assert (person.surname, person.given_name, person.patronymic) == ("Ахметов", "Ерлан", "Серикович")
    challenge.refresh_from_db()
    assert challenge.used_at is not None
    assert challenge.used_by == result.user

    again = actions.issue_login_challenge()
    second = actions.log_in_with_signature(nonce=again.nonce, signature=sign_detached(again.content, citizen_auth))
    assert not second.created
    assert second.user == result.user
    assert User.objects.filter(person__iin=CITIZEN_IIN).count() == 1


def test_a_known_person_logs_into_their_existing_account(citizen_auth: IssuedCertificate) -> None:
    person = Person.objects.create(iin=CITIZEN_IIN, surname="Ахметов", given_name="Ерлан")
    staff = User.objects.create(username="akhmetov", person=person, kind=AccountKind.STAFF)
    challenge = actions.issue_login_challenge()
    result = actions.log_in_with_signature(
        nonce=challenge.nonce, signature=sign_detached(challenge.content, citizen_auth)
    )
    assert result.user == staff


def test_a_company_certificate_records_the_company_and_the_role(demo_ca: DemoCA) -> None:
    employee_auth = demo_ca.issue_person(
        iin=EMPLOYEE_IIN,
        surname="Иванова",
        given_name="Анна",
        purpose=KeyPurpose.AUTHENTICATION,
        bin=COMPANY_BIN,
        role="first_head",
        organisation="ТОО «Дала»",
    )
    challenge = actions.issue_login_challenge()
    result = actions.log_in_with_signature(
        nonce=challenge.nonce, signature=sign_detached(challenge.content, employee_auth)
    )
    assert result.organisation is not None
    assert (result.organisation.bin, result.organisation.name) == (COMPANY_BIN, "ТОО «Дала»")
    member = OrganisationMember.objects.get(person__iin=EMPLOYEE_IIN)
    assert (member.organisation, member.role) == (result.organisation, "first_head")


def test_a_replayed_challenge_is_refused(citizen_auth: IssuedCertificate, caplog: pytest.LogCaptureFixture) -> None:
    challenge = actions.issue_login_challenge()
    signature = sign_detached(challenge.content, citizen_auth)
    actions.log_in_with_signature(nonce=challenge.nonce, signature=signature)
    with caplog.at_level(logging.WARNING, logger="torelik.identity.login"), pytest.raises(LoginError) as raised:
        actions.log_in_with_signature(nonce=challenge.nonce, signature=signature)
    assert raised.value.code == LoginErrorCode.CHALLENGE_USED
    assert "login_challenge_used" in caplog.text


def test_an_expired_challenge_is_refused(citizen_auth: IssuedCertificate) -> None:
    challenge = actions.issue_login_challenge()
    signature = sign_detached(challenge.content, citizen_auth)
    with clock.frozen_at(challenge.expires_at + dt.timedelta(seconds=1)), pytest.raises(LoginError) as raised:
        actions.log_in_with_signature(nonce=challenge.nonce, signature=signature)
    assert raised.value.code == LoginErrorCode.CHALLENGE_EXPIRED
    assert LoginChallenge.objects.get(pk=challenge.pk).used_at is None


def test_an_unknown_challenge_is_refused(citizen_auth: IssuedCertificate) -> None:
    with pytest.raises(LoginError) as raised:
        actions.log_in_with_signature(nonce="made-up", signature=sign_detached(b"Torelik login made-up", citizen_auth))
    assert raised.value.code == LoginErrorCode.CHALLENGE_UNKNOWN


def test_a_signature_over_another_challenge_is_refused(citizen_auth: IssuedCertificate) -> None:
    first, second = actions.issue_login_challenge(), actions.issue_login_challenge()
    with pytest.raises(SignatureRefusedError) as raised:
        actions.log_in_with_signature(nonce=second.nonce, signature=sign_detached(first.content, citizen_auth))
    assert raised.value.code == SignatureRefusal.CONTENT_MISMATCH
    assert not User.objects.filter(person__iin=CITIZEN_IIN).exists()


def test_the_signing_key_cannot_log_in(citizen_sign: IssuedCertificate) -> None:
    challenge = actions.issue_login_challenge()
    with pytest.raises(SignatureRefusedError) as raised:
        actions.log_in_with_signature(nonce=challenge.nonce, signature=sign_detached(challenge.content, citizen_sign))
    assert raised.value.code == SignatureRefusal.WRONG_KEY_PURPOSE
    # Worded for people in every language: no AUTH/SIGN codes on the page.
    for language, words in (
        ("kk", "аутентификация кілтін"),
        ("ru", "ключ аутентификации"),
        ("en", "authentication key"),
    ):
        with translation.override(language):
            message = raised.value.message
        assert words in message
        assert "AUTH" not in message
        assert "SIGN" not in message


def test_a_disabled_account_cannot_log_in(citizen_auth: IssuedCertificate) -> None:
    person = Person.objects.create(iin=CITIZEN_IIN, surname="Ахметов", given_name="Ерлан")
    User.objects.create(username="gone", person=person, is_active=False)
    challenge = actions.issue_login_challenge()
    with pytest.raises(LoginError) as raised:
        actions.log_in_with_signature(nonce=challenge.nonce, signature=sign_detached(challenge.content, citizen_auth))
    assert raised.value.code == LoginErrorCode.ACCOUNT_DISABLED


# The API ------------------------------------------------------------------------------------------


def test_api_login_opens_a_session(client: Client, citizen_auth: IssuedCertificate) -> None:
    answer = client.post("/api/v1/auth/eds/challenge")
    assert answer.status_code == 200
    body = answer.json()
    assert body["signer_url"] == "ws://127.0.0.1:13579"
    data = base64.b64decode(body["data"])
    signature = base64.b64encode(sign_detached(data, citizen_auth)).decode()
    login = client.post(
        "/api/v1/auth/eds/login", {"nonce": body["nonce"], "signature": signature}, content_type="application/json"
    )
    assert login.status_code == 200, login.content
    assert login.json()["iin"] == CITIZEN_IIN
    assert login.json()["created"] is True
    assert client.session["_auth_user_id"] == str(User.objects.get(person__iin=CITIZEN_IIN).pk)
    assert client.session["torelik_eds_signer"]["iin"] == CITIZEN_IIN

    replay = client.post(
        "/api/v1/auth/eds/login", {"nonce": body["nonce"], "signature": signature}, content_type="application/json"
    )
    assert replay.status_code == 401
    assert replay.json()["code"] == "login_challenge_used"


def test_a_challenge_signed_for_another_browser_cannot_log_this_one_in(
    client: Client, citizen_auth: IssuedCertificate
) -> None:
    """Login CSRF: an attacker signs their own challenge and makes the victim's browser post it."""
    attacker = Client()
    body = attacker.post("/api/v1/auth/eds/challenge").json()
    signature = base64.b64encode(sign_detached(base64.b64decode(body["data"]), citizen_auth)).decode()
    victim = client.post(
        "/api/v1/auth/eds/login", {"nonce": body["nonce"], "signature": signature}, content_type="application/json"
    )
    assert victim.status_code == 401
    assert victim.json()["code"] == "login_challenge_unknown"
    assert "_auth_user_id" not in client.session
    page = client.post("/en/accounts/eds/login/", {"nonce": body["nonce"], "signature": signature})
    assert page.status_code == 422
    assert "_auth_user_id" not in client.session
    # The browser the challenge was given to still logs in with it.
    own = attacker.post(
        "/api/v1/auth/eds/login", {"nonce": body["nonce"], "signature": signature}, content_type="application/json"
    )
    assert own.status_code == 200


def test_api_refusals_are_4xx_in_the_error_format(client: Client, citizen_sign: IssuedCertificate) -> None:
    body = client.post("/api/v1/auth/eds/challenge").json()
    not_base64 = client.post(
        "/api/v1/auth/eds/login", {"nonce": body["nonce"], "signature": "%%%"}, content_type="application/json"
    )
    assert not_base64.status_code == 422
    assert not_base64.json()["code"] == SignatureRefusal.MALFORMED
    wrong_key = client.post(
        "/api/v1/auth/eds/login",
        {
            "nonce": body["nonce"],
            "signature": base64.b64encode(sign_detached(base64.b64decode(body["data"]), citizen_sign)).decode(),
        },
        content_type="application/json",
    )
    assert wrong_key.status_code == 422
    assert wrong_key.json()["code"] == SignatureRefusal.WRONG_KEY_PURPOSE
    assert wrong_key.json()["message"]
    missing = client.post("/api/v1/auth/eds/login", {}, content_type="application/json")
    assert missing.status_code == 422
    assert "_auth_user_id" not in client.session


# The page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_login_page_carries_a_challenge_and_the_signer_script(client: Client, language: str) -> None:
    page = client.get(f"/{language}/accounts/eds/login/")
    assert page.status_code == 200
    html = page.content.decode()
    challenge = LoginChallenge.objects.get()
    assert f'value="{challenge.nonce}"' in html
    assert base64.b64encode(challenge.content).decode() in html
    assert "identity/signer.js" in html
    assert "ws://127.0.0.1:13579" in html


def test_the_login_form_logs_in_and_redirects(client: Client, citizen_auth: IssuedCertificate) -> None:
    client.get("/en/accounts/eds/login/")
    challenge = LoginChallenge.objects.get()
    signature = base64.b64encode(sign_detached(challenge.content, citizen_auth)).decode()
    answer = client.post(
        "/en/accounts/eds/login/", {"nonce": challenge.nonce, "signature": signature, "next": "/en/cases/"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/en/cases/"
    assert client.session["torelik_eds_signer"]["iin"] == CITIZEN_IIN


def test_the_login_form_refuses_with_a_reason_and_a_fresh_challenge(
    client: Client, citizen_sign: IssuedCertificate
) -> None:
    client.get("/en/accounts/eds/login/")
    challenge = LoginChallenge.objects.get()
    signature = base64.b64encode(sign_detached(challenge.content, citizen_sign)).decode()
    answer = client.post(
        "/en/accounts/eds/login/", {"nonce": challenge.nonce, "signature": signature, "next": "https://evil.example/"}
    )
    assert answer.status_code == 422
    assert "choose the authentication key of your digital signature" in answer.content.decode()
    assert LoginChallenge.objects.count() == 2
    assert "_auth_user_id" not in client.session
    garbage = client.post("/en/accounts/eds/login/", {"nonce": "x", "signature": "***"})
    assert garbage.status_code == 422
