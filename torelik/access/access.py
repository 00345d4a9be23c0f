"""Who keeps a court's building, written once: the court's entrance officers register visitors and let
them in and out; the court's security does that too and alone reads who is in the building, the day's
log and the ban list, and registers and revokes the devices. The visitor log is personal data: nobody
else sees it, not another court's security, not a judge (ADR 0104). A device is known by its token."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.access.errors import AccessErrorCode, AccessForbiddenError, AccessNotFoundError, DeviceTokenError
from torelik.access.models import Device, Duty, Entrance, Guard
from torelik.core.tokens import token_digest
from torelik.courts.models import Court
from torelik.identity.models import User

DESK = frozenset({Duty.ENTRANCE, Duty.SECURITY})
SECURITY = frozenset({Duty.SECURITY})


def _user(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def posts_of(user: object, duties: frozenset[str] = DESK) -> QuerySet[Guard]:
    found = _user(user)
    if found is None:
        return Guard.objects.none()
    return Guard.objects.filter(user=found, duty__in=duties).select_related("court", "entrance")


def courts_kept_by(user: object, duties: frozenset[str] = DESK) -> list[Court]:
    seen: dict[int, Court] = {}
    for post in posts_of(user, duties).order_by("court__code"):
        seen.setdefault(post.court_id, post.court)
    return list(seen.values())


def court_kept_by(user: object, code: str | None, duties: frozenset[str] = DESK) -> Court:
    """The court whose building `user` keeps with one of `duties` (the one named by `code`, or their only
    or first one); refused to everybody else."""
    courts = courts_kept_by(user, duties)
    if code:
        courts = [court for court in courts if court.code == code]
    if not courts:
        if duties == SECURITY:
            message = _("Only the court's security may see this.")
        else:
            message = _("Only the court's entrance officers and security may do this.")
        raise AccessForbiddenError(AccessErrorCode.NOT_ON_DUTY, message)
    return courts[0]


def entrance_of(court: Court, code: str | None, user: object = None) -> Entrance:
    """The entrance of `court` named by `code`, else the officer's usual one, else the first for visitors."""
    entrances = Entrance.objects.filter(court=court, is_active=True).select_related("court__region")
    if code:
        found = entrances.filter(code=code).first()
        if found is None:
            raise AccessNotFoundError(AccessErrorCode.ENTRANCE_NOT_FOUND, _("The court has no such entrance."))
        return found
    usual = posts_of(user).filter(court=court, entrance__isnull=False).first()
    if usual is not None and usual.entrance is not None and usual.entrance.is_active:
        return usual.entrance
    found = entrances.order_by("-for_visitors", "code").first()
    if found is None:
        raise AccessNotFoundError(AccessErrorCode.ENTRANCE_NOT_FOUND, _("The court has no entrance registered yet."))
    return found


def device_for_token(token: str) -> Device:
    """The turnstile or reader holding `token`, while it is not revoked."""
    device = Device.objects.select_related("entrance__court__region").filter(token_hash=token_digest(token)).first()
    if device is None:
        raise DeviceTokenError(AccessErrorCode.DEVICE_TOKEN_INVALID, _("The device token is not known."))
    if device.revoked_at is not None:
        raise DeviceTokenError(
            AccessErrorCode.DEVICE_REVOKED, _("This device has been revoked by the court's security.")
        )
    return device
