"""Court staff log in with their own signature (ADR 0082): the administrator binds a staff account to
an IIN; the same challenge and AUTH signature as a citizen's then open the staff workspace."""

import base64
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from torelik.identity import actions
from torelik.identity.demo_pki import seed_demo_staff_signatures
from torelik.identity.devsigner import load_demo_keys
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError
from torelik.identity.errors import LoginError, LoginErrorCode
from torelik.identity.models import AccountKind, LoginChallenge, Person, StaffSignatureBinding, User
from torelik.identity.pki import DemoCA, IssuedCertificate, KeyPurpose, default_directory, sign_detached
from torelik.identity.tests.conftest import CITIZEN_IIN

pytestmark = pytest.mark.django_db

STAFF_IIN = "760212350620"
REVOKED_IIN = "680503450037"


@pytest.fixture(scope="module")
def staff_auth(demo_ca: DemoCA) -> IssuedCertificate:
    return demo_ca.issue_person(
        iin=STAFF_IIN, surname="Касымов", given_name="Нурлан", patronymic="Бекович", purpose=KeyPurpose.AUTHENTICATION
    )


@pytest.fixture
def judge() -> User:
    person = Person.objects.create(iin=STAFF_IIN, surname="Касымов", given_name="Нурлан", patronymic="Бекович")
    return User.objects.create(username="kasymov", person=person, kind=AccountKind.STAFF)


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser(username="root", password="correct horse battery")  # noqa: S106


def _signed(certificate: IssuedCertificate) -> tuple[str, bytes]:
    challenge = actions.issue_login_challenge()
    return challenge.nonce, sign_detached(challenge.content, certificate)


def test_a_bound_staff_member_logs_in_with_their_auth_key(
    judge: User, admin_user: User, staff_auth: IssuedCertificate
) -> None:
    binding = actions.bind_staff_signature(user=judge, iin=STAFF_IIN, actor=admin_user, reason="order 12")
    assert (binding.bound_by, binding.reason, binding.revoked_at) == (admin_user, "order 12", None)
    nonce, signature = _signed(staff_auth)
    result = actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
    assert result.user == judge
    assert LoginChallenge.objects.get(nonce=nonce).used_by == judge


def test_an_unbound_certificate_is_refused(judge: User, staff_auth: IssuedCertificate) -> None:
    nonce, signature = _signed(staff_auth)
    with pytest.raises(LoginError) as refused:
        actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
    assert refused.value.code == LoginErrorCode.STAFF_NOT_BOUND
    assert LoginChallenge.objects.get(nonce=nonce).used_at is None


def test_a_revoked_binding_no_longer_logs_in_and_stays_in_the_journal(
    judge: User, admin_user: User, staff_auth: IssuedCertificate
) -> None:
    actions.bind_staff_signature(user=judge, iin=STAFF_IIN, actor=admin_user)
    actions.revoke_staff_signature(user=judge, actor=admin_user)
    nonce, signature = _signed(staff_auth)
    with pytest.raises(LoginError) as refused:
        actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
    assert refused.value.code == LoginErrorCode.STAFF_NOT_BOUND
    [row] = StaffSignatureBinding.objects.all()
    assert (row.revoked_by, row.revoked_at is not None) == (admin_user, True)


def test_a_revoked_certificate_is_refused(judge: User, demo_ca: DemoCA) -> None:
    Person.objects.create(iin=REVOKED_IIN, surname="Жумабаева", given_name="Гульнара")
    clerk = User.objects.create(username="clerk", person=Person.objects.get(iin=REVOKED_IIN))
    actions.bind_staff_signature(user=clerk, iin=REVOKED_IIN, actor=None)
    certificate = demo_ca.issue_person(
        iin=REVOKED_IIN, surname="Жумабаева", given_name="Гульнара", purpose=KeyPurpose.AUTHENTICATION
    )
    demo_ca.revoke(certificate.certificate)
    nonce, signature = _signed(certificate)
    with pytest.raises(SignatureRefusedError) as refused:
        actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
    assert refused.value.code == SignatureRefusal.REVOKED


def test_the_citizen_login_does_not_need_a_binding_but_the_staff_login_does(citizen_auth: IssuedCertificate) -> None:
    nonce, signature = _signed(citizen_auth)
    with pytest.raises(LoginError):
        actions.log_in_staff_with_signature(nonce=nonce, signature=signature)
    assert not User.objects.filter(person__iin=CITIZEN_IIN).exists()


def test_binding_rules(judge: User, admin_user: User) -> None:
    citizen = User.objects.create(username="citizen", kind=AccountKind.CITIZEN)
    with pytest.raises(LoginError) as not_staff:
        actions.bind_staff_signature(user=citizen, iin=CITIZEN_IIN, actor=admin_user)
    assert not_staff.value.code == LoginErrorCode.NOT_STAFF
    actions.bind_staff_signature(user=judge, iin=STAFF_IIN, actor=admin_user)
    other = User.objects.create(username="other", kind=AccountKind.STAFF)
    with pytest.raises(LoginError) as taken:
        actions.bind_staff_signature(user=other, iin=STAFF_IIN, actor=admin_user)
    assert taken.value.code == LoginErrorCode.ALREADY_BOUND
    # Rebinding the account revokes its earlier binding, kept in the journal.
    actions.bind_staff_signature(user=judge, iin=CITIZEN_IIN, actor=admin_user)
    rows = StaffSignatureBinding.objects.filter(user=judge)
    assert [(row.iin, row.revoked_at is None) for row in rows] == [(CITIZEN_IIN, True), (STAFF_IIN, False)]
    with pytest.raises(LoginError):
        actions.revoke_staff_signature(user=other, actor=admin_user)


def test_the_management_command_binds_and_revokes(judge: User, admin_user: User) -> None:
    out = StringIO()
    call_command("staff_signature", "bind", "kasymov", STAFF_IIN, "--by", "root", stdout=out)
    assert "bound to IIN" in out.getvalue()
    assert StaffSignatureBinding.objects.get(revoked_at__isnull=True).bound_by == admin_user
    call_command("staff_signature", "revoke", "kasymov", stdout=out)
    assert not StaffSignatureBinding.objects.filter(revoked_at__isnull=True).exists()
    with pytest.raises(CommandError):
        call_command("staff_signature", "revoke", "kasymov", stdout=out)
    with pytest.raises(CommandError):
        call_command("staff_signature", "bind", "nobody", STAFF_IIN, stdout=out)


def test_the_admin_binds_through_the_journaled_action(client: Client, judge: User, admin_user: User) -> None:
    client.force_login(admin_user)
    answer = client.post(
        "/en/admin/identity/staffsignaturebinding/add/", {"user": judge.pk, "iin": STAFF_IIN, "reason": "order"}
    )
    assert answer.status_code == 302
    assert StaffSignatureBinding.objects.get().bound_by == admin_user
    other = User.objects.create(username="other", kind=AccountKind.STAFF)
    taken = client.post("/en/admin/identity/staffsignaturebinding/add/", {"user": other.pk, "iin": STAFF_IIN})
    assert taken.status_code == 200
    assert "already bound" in taken.content.decode()


def test_the_page_lands_on_the_workspace_or_says_why(
    client: Client, judge: User, staff_auth: IssuedCertificate
) -> None:
    page = client.get("/ru/accounts/eds/staff/")
    assert page.status_code == 200
    nonce = page.context["challenge"].nonce
    challenge = LoginChallenge.objects.get(nonce=nonce)
    signature = base64.b64encode(sign_detached(challenge.content, staff_auth)).decode()
    refused = client.post("/ru/accounts/eds/staff/", {"nonce": nonce, "signature": signature})
    assert refused.status_code == 422
    assert "не привязан" in refused.content.decode()
    actions.bind_staff_signature(user=judge, iin=STAFF_IIN, actor=None)
    page = client.get("/en/accounts/eds/staff/")
    challenge = LoginChallenge.objects.get(nonce=page.context["challenge"].nonce)
    signature = base64.b64encode(sign_detached(challenge.content, staff_auth)).decode()
    answer = client.post("/en/accounts/eds/staff/", {"nonce": challenge.nonce, "signature": signature})
    assert answer.status_code == 302
    assert answer["Location"].endswith("/workspace/")


@pytest.mark.parametrize(
    ("mode", "staff_in", "admin_in"), [("all", True, True), ("admin", False, True), ("off", False, False)]
)
def test_the_password_login_follows_the_setting(
    client: Client, settings: Any, mode: str, staff_in: bool, admin_in: bool, admin_user: User
) -> None:
    settings.TORELIK_STAFF_PASSWORD_LOGIN = mode
    staff = User.objects.create_user(username="clerk", password="correct horse battery", kind=AccountKind.STAFF)  # noqa: S106
    for user, expected in ((staff, staff_in), (admin_user, admin_in)):
        answer = client.post("/en/accounts/login/", {"username": user.username, "password": "correct horse battery"})
        assert (answer.status_code == 302) is expected, (mode, user.username)
        if not expected:
            assert "password login is for the administrator only" in answer.content.decode()
        client.logout()


def test_the_demo_binds_its_staff_to_iins_the_demo_ca_has_keys_for(judge: User) -> None:
    judge.username = "demo.judge"
    judge.save()
    assert seed_demo_staff_signatures() == [("demo.judge", STAFF_IIN)]
    assert seed_demo_staff_signatures() == [("demo.judge", STAFF_IIN)]  # idempotent
    keys = load_demo_keys(default_directory(), STAFF_IIN)
    nonce, signature = _signed(keys[KeyPurpose.AUTHENTICATION])
    assert actions.log_in_staff_with_signature(nonce=nonce, signature=signature).user == judge
    assert StaffSignatureBinding.objects.filter(user=judge).count() == 1
