"""Writes of the identity context: login challenges and logging in with a digital signature."""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from torelik.core import clock
from torelik.identity.eds import SignatureRefusedError, VerifiedSigner, verify_detached
from torelik.identity.errors import LoginError, LoginErrorCode
from torelik.identity.models import (
    AccountKind,
    LoginChallenge,
    Organisation,
    OrganisationMember,
    Person,
    StaffSignatureBinding,
    User,
)
from torelik.identity.pki import KeyPurpose

logger = logging.getLogger("torelik.identity.login")
security = logging.getLogger("torelik.security")


@dataclass(frozen=True)
class EdsLogin:
    """Who logged in: the account, the certificate's signer and, for a company certificate, the company."""

    user: User
    signer: VerifiedSigner
    organisation: Organisation | None
    created: bool


@transaction.atomic
def issue_login_challenge() -> LoginChallenge:
    """A fresh one-time challenge, valid for `TORELIK_EDS_CHALLENGE_SECONDS`; the challenges that
    expired more than a day ago go at the same time (an indexed delete), so none pile up."""
    forget_expired_challenges()
    moment = clock.now()
    lifetime = dt.timedelta(seconds=int(getattr(settings, "TORELIK_EDS_CHALLENGE_SECONDS", 120)))
    return LoginChallenge.objects.create(
        nonce=secrets.token_urlsafe(32), created_at=moment, expires_at=moment + lifetime
    )


@transaction.atomic
def log_in_with_signature(*, nonce: str, signature: bytes) -> EdsLogin:
    """Check the signature over the challenge with an AUTH key; the account of the certificate's IIN
    (created on first login). Refusals: `LoginError`, `SignatureRefusedError`; both logged."""
    try:
        return _log_in(nonce=nonce, signature=signature)
    except (LoginError, SignatureRefusedError) as error:
        logger.warning("EDS login refused: %s (challenge %s)", error.code, nonce[:12])
        raise


def _answered_challenge(*, nonce: str, signature: bytes) -> tuple[LoginChallenge, VerifiedSigner]:
    """The challenge and the signer of a valid AUTH signature over it, with an IIN (the citizens' and
    the staff's login share this check)."""
    challenge = LoginChallenge.objects.select_for_update().filter(nonce=nonce).first()
    if challenge is None:
        raise LoginError(LoginErrorCode.CHALLENGE_UNKNOWN)
    if challenge.used_at is not None:
        raise LoginError(LoginErrorCode.CHALLENGE_USED)
    if clock.now() >= challenge.expires_at:
        raise LoginError(LoginErrorCode.CHALLENGE_EXPIRED)
    signer = verify_detached(challenge.content, signature, purpose=KeyPurpose.AUTHENTICATION)
    if not signer.iin:
        raise LoginError(LoginErrorCode.NO_IIN)
    return challenge, signer


def _spend(challenge: LoginChallenge, user: User) -> None:
    moment = clock.now()
    challenge.used_at = moment
    challenge.used_by = user
    challenge.save(update_fields=["used_at", "used_by"])
    user.last_login = moment
    user.save(update_fields=["last_login"])


def _log_in(*, nonce: str, signature: bytes) -> EdsLogin:
    challenge, signer = _answered_challenge(nonce=nonce, signature=signature)
    person, user, created = _account_for(signer)
    if not user.is_active:
        raise LoginError(LoginErrorCode.ACCOUNT_DISABLED)
    organisation = _record_membership(person, signer) if signer.bin else None
    _spend(challenge, user)
    assert signer.iin is not None  # noqa: S101 - checked above
    logger.info("EDS login: IIN %s*** (certificate %s)", signer.iin[:6], signer.certificate_serial)
    return EdsLogin(user=user, signer=signer, organisation=organisation, created=created)


@transaction.atomic
def log_in_staff_with_signature(*, nonce: str, signature: bytes) -> EdsLogin:
    """The staff's login (ADR 0082): the same challenge and AUTH signature as a citizen's, then the
    staff account bound to the certificate's IIN; an IIN with no active binding is refused."""
    try:
        challenge, signer = _answered_challenge(nonce=nonce, signature=signature)
        binding = (
            StaffSignatureBinding.objects.select_related("user")
            .filter(iin=signer.iin, revoked_at__isnull=True, user__kind=AccountKind.STAFF)
            .first()
        )
        if binding is None:
            raise LoginError(LoginErrorCode.STAFF_NOT_BOUND)
        user = binding.user
        if not user.is_active:
            raise LoginError(LoginErrorCode.ACCOUNT_DISABLED)
    except (LoginError, SignatureRefusedError) as error:
        security.warning("staff EDS login refused: %s (challenge %s)", error.code, nonce[:12])
        raise
    _spend(challenge, user)
    security.info(
        "staff EDS login: account %s, IIN %s*** (certificate %s)",
        user.username,
        str(signer.iin)[:6],
        signer.certificate_serial,
    )
    return EdsLogin(user=user, signer=signer, organisation=None, created=False)


@transaction.atomic
def bind_staff_signature(*, user: User, iin: str, actor: User | None, reason: str = "") -> StaffSignatureBinding:
    """Bind a staff account to a person's IIN (revoking the account's earlier binding); journaled."""
    if user.kind != AccountKind.STAFF:
        raise LoginError(LoginErrorCode.NOT_STAFF)
    if StaffSignatureBinding.objects.filter(iin=iin, revoked_at__isnull=True).exclude(user=user).exists():
        raise LoginError(LoginErrorCode.ALREADY_BOUND)
    current = StaffSignatureBinding.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if current is not None and current.iin == iin:
        return current
    if current is not None:
        _revoke(current, actor)
    binding = StaffSignatureBinding.objects.create(
        user=user, iin=iin, reason=reason, bound_at=clock.now(), bound_by=actor
    )
    security.info(
        "staff signature binding: account %s bound to IIN %s*** by %s",
        user.username,
        iin[:6],
        actor.username if actor else "-",
    )
    return binding


@transaction.atomic
def revoke_staff_signature(*, user: User, actor: User | None) -> StaffSignatureBinding:
    """Revoke the account's binding: its certificates no longer log it in; journaled."""
    current = StaffSignatureBinding.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if current is None:
        raise LoginError(LoginErrorCode.NOT_BOUND)
    return _revoke(current, actor)


def _revoke(binding: StaffSignatureBinding, actor: User | None) -> StaffSignatureBinding:
    binding.revoked_at = clock.now()
    binding.revoked_by = actor
    binding.save(update_fields=["revoked_at", "revoked_by"])
    security.info(
        "staff signature binding: account %s unbound from IIN %s*** by %s",
        binding.user.username,
        binding.iin[:6],
        actor.username if actor else "-",
    )
    return binding


def _account_for(signer: VerifiedSigner) -> tuple[Person, User, bool]:
    assert signer.iin is not None  # noqa: S101 - checked by the caller
    person, _ = Person.objects.get_or_create(
        iin=signer.iin,
        defaults={
            "surname": signer.surname or signer.common_name,
            "given_name": signer.given_name,
            "patronymic": signer.patronymic,
        },
    )
    user = User.objects.filter(person=person).first()
    if user is not None:
        return person, user, False
    username = signer.iin
    if User.objects.filter(username=username).exists():
        username = f"iin-{signer.iin}-{secrets.token_hex(3)}"
    try:
        with transaction.atomic():
            user = User(
                username=username,
                person=person,
                kind=AccountKind.CITIZEN,
                first_name=person.given_name[:150],
                last_name=person.surname[:150],
            )
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # a concurrent first login of the same person
        return person, User.objects.get(person=person), False
    return person, user, True


def _record_membership(person: Person, signer: VerifiedSigner) -> Organisation:
    assert signer.bin is not None  # noqa: S101 - checked by the caller
    organisation, _ = Organisation.objects.get_or_create(
        bin=signer.bin, defaults={"name": signer.organisation or f"BIN {signer.bin}"}
    )
    OrganisationMember.objects.update_or_create(
        person=person,
        organisation=organisation,
        defaults={
            "role": signer.role or "",
            "certificate_serial": signer.certificate_serial,
            "confirmed_at": clock.now(),
        },
    )
    return organisation


@transaction.atomic
def forget_expired_challenges() -> int:
    """Delete challenges that expired more than a day ago; the number deleted."""
    deleted, _ = LoginChallenge.objects.filter(expires_at__lt=clock.now() - dt.timedelta(days=1)).delete()
    return deleted


def known_or_new_person(*, iin: str, surname: str, given_name: str, patronymic: str = "") -> Person:
    """The person with this IIN, or a new record of them with the names given (a witness or an
    interpreter named by the court). Names of a known person are never overwritten here."""
    person, _created = Person.objects.get_or_create(
        iin=iin, defaults={"surname": surname, "given_name": given_name, "patronymic": patronymic}
    )
    return person
