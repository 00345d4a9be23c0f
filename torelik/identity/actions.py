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
    User,
)
from torelik.identity.pki import KeyPurpose

logger = logging.getLogger("torelik.identity.login")


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


def _log_in(*, nonce: str, signature: bytes) -> EdsLogin:
    challenge = LoginChallenge.objects.select_for_update().filter(nonce=nonce).first()
    if challenge is None:
        raise LoginError(LoginErrorCode.CHALLENGE_UNKNOWN)
    if challenge.used_at is not None:
        raise LoginError(LoginErrorCode.CHALLENGE_USED)
    moment = clock.now()
    if moment >= challenge.expires_at:
        raise LoginError(LoginErrorCode.CHALLENGE_EXPIRED)
    signer = verify_detached(challenge.content, signature, purpose=KeyPurpose.AUTHENTICATION)
    if not signer.iin:
        raise LoginError(LoginErrorCode.NO_IIN)
    person, user, created = _account_for(signer)
    if not user.is_active:
        raise LoginError(LoginErrorCode.ACCOUNT_DISABLED)
    organisation = _record_membership(person, signer) if signer.bin else None
    challenge.used_at = moment
    challenge.used_by = user
    challenge.save(update_fields=["used_at", "used_by"])
    user.last_login = moment
    user.save(update_fields=["last_login"])
    logger.info("EDS login: IIN %s*** (certificate %s)", signer.iin[:6], signer.certificate_serial)
    return EdsLogin(user=user, signer=signer, organisation=organisation, created=created)


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
