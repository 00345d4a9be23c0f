"""Every write of building access: a visitor registered at an entrance (their hearing today or the
purpose they state, a pass code; a person on the court's ban list held for security, never let in
silently), a passage in or out (by a device or by the officer, by badge or pass), security's decisions,
the ban list, the devices and their tokens, and the record of who read the log.

A passage is always written, allowed or refused: a refusal is committed with its reason before it is
raised, so a device's event is never lost (ADR 0105)."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.access.errors import (
    AccessConflictError,
    AccessError,
    AccessErrorCode,
    AccessForbiddenError,
    AccessNotFoundError,
)
from torelik.access.models import (
    Badge,
    Ban,
    Device,
    Direction,
    Entrance,
    LogReading,
    Passage,
    Purpose,
    Visit,
    VisitKind,
    VisitStatus,
)
from torelik.access.queries import ban_on, hearings_today, local_day, open_visit, person_with_iin
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.identifiers import IIN, IdentifierError
from torelik.core.tokens import keyed_digest, new_token, token_digest
from torelik.courts.models import Court
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import User

PASS_NAMESPACE = "access-pass"  # noqa: S105 - a key namespace, not a secret
# No 0/O, 1/I/L: a code read aloud or typed from paper is read right.
PASS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # noqa: S105 - an alphabet
PASS_LENGTH = 8


def new_pass_code() -> str:
    return "".join(secrets.choice(PASS_ALPHABET) for _ in range(PASS_LENGTH))


def normalised_pass(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def pass_digest(code: str) -> str:
    """What is kept of a pass code: a keyed hash (a short code's plain hash is undone by trying them all)."""
    return keyed_digest(PASS_NAMESPACE, normalised_pass(code))


def parse_iin(raw: str) -> str:
    """The IIN typed at the desk, checked by its check digit; a refusal names the field."""
    try:
        return IIN.parse(raw).value
    except IdentifierError as error:
        raise AccessError(AccessErrorCode.INVALID, error.message, fields={"iin": [error.message]}) from error


@dataclass(frozen=True)
class Registration:
    visit: Visit
    pass_code: str  # empty while the visitor is held for security


def _refuse(field: str, message: str) -> AccessError:
    return AccessError(AccessErrorCode.INVALID, message, fields={field: [message]})


@transaction.atomic
def register_visitor(
    *,
    entrance: Entrance,
    officer: User | None,
    iin: str = "",
    document_number: str = "",
    document_country: str = "",
    full_name: str = "",
    purpose: str = "",
    purpose_text: str = "",
    hearing_id: int | None = None,
) -> Registration:
    """Register a visitor at `entrance` by IIN (or by a foreign document): a party, witness, lawyer or
    representative of a hearing today in this building comes for that hearing (its courtroom and time on
    the pass); anyone else states a purpose. A visitor on the court's ban list is held for security."""
    court = entrance.court
    now = clock.now()
    day = local_day(court, now)
    iin = parse_iin(iin) if iin.strip() else ""
    document_number, document_country = document_number.strip(), document_country.strip().upper()
    if not iin:
        if not document_number:
            raise _refuse("iin", str(_("Enter the visitor's IIN, or a foreign document's number and country.")))
        if len(document_country) != 2 or not document_country.isalpha():
            raise _refuse("document_country", str(_("Enter the country of the document as two letters (e.g. UZ).")))
    person = person_with_iin(iin) if iin else None
    name = person.full_name if person is not None else full_name.strip()
    if not name:
        raise _refuse("full_name", str(_("Enter the visitor's full name as in the document.")))
    summoned = hearings_today(court=court, iin=iin, day=day) if iin else []
    if not purpose:
        purpose = Purpose.HEARING if summoned else ""
    if purpose not in Purpose.values:
        raise _refuse("purpose", str(_("Choose the purpose of the visit.")))
    chosen = None
    if purpose == Purpose.HEARING:
        chosen = next((s for s in summoned if hearing_id is None or s.hearing_id == hearing_id), None)
        if chosen is None:
            raise _refuse(
                "purpose",
                str(_("The visitor takes part in no hearing in this building today: choose another purpose.")),
            )
    elif purpose == Purpose.OTHER and not purpose_text.strip():
        raise _refuse("purpose_text", str(_("Say what the visitor comes for.")))
    earlier = open_visit(court=court, day=day, iin=iin, document_number=document_number, country=document_country)
    if earlier is not None and earlier.status == VisitStatus.INSIDE:
        came_in = earlier.entered_at or earlier.registered_at
        raise AccessConflictError(
            AccessErrorCode.ALREADY_INSIDE,
            _("%(name)s is already in the building (came in at %(time)s)."),
            params={"name": earlier.full_name, "time": f"{came_in.astimezone(court_zone(court)):%H:%M}"},
        )
    ban = ban_on(court=court, day=day, iin=iin, document_number=document_number, country=document_country)
    code = "" if ban is not None else new_pass_code()
    fields = {
        "entrance": entrance,
        "full_name": name,
        "purpose": purpose,
        "purpose_text": purpose_text.strip()[:300],
        "hearing_id": chosen.hearing_id if chosen else None,
        "role": chosen.role if chosen else "",
        "courtroom": chosen.courtroom if chosen else "",
        "ban": ban,
        "status": VisitStatus.HELD if ban is not None else VisitStatus.REGISTERED,
        "pass_hash": pass_digest(code) if code else "",
        "registered_at": now,
        "registered_by": officer,
    }
    if earlier is not None:  # registered again the same day (a lost pass, another purpose): one visit, a new pass
        for name_, value in fields.items():
            setattr(earlier, name_, value)
        earlier.save()
        return Registration(visit=earlier, pass_code=code)
    visit = Visit.objects.create(
        court=court,
        kind=VisitKind.VISITOR,
        day=day,
        iin=iin,
        document_number=document_number,
        document_country=document_country if not iin else "",
        **fields,
    )
    return Registration(visit=visit, pass_code=code)


@transaction.atomic
def decide_held(*, visit: Visit, officer: User, admit: bool) -> Registration:
    """Security's decision on a visitor held at the entrance for a ban: admitted (a pass issued, the ban
    noted on the visit) or refused entry."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status != VisitStatus.HELD:
        raise AccessConflictError(AccessErrorCode.NOT_HELD, _("This visitor is not waiting for a decision."))
    visit.decided_by = officer
    code = ""
    if admit:
        code = new_pass_code()
        visit.pass_hash = pass_digest(code)
        visit.status = VisitStatus.REGISTERED
    else:
        visit.status = VisitStatus.REFUSED
    visit.save(update_fields=["decided_by", "pass_hash", "status", "updated_at"])
    return Registration(visit=visit, pass_code=code)


# --- Passages -----------------------------------------------------------------------------------------


def _pass_visit(entrance: Entrance, code: str) -> Visit:
    visit = (
        Visit.objects.select_for_update()
        .filter(court=entrance.court, kind=VisitKind.VISITOR, pass_hash=pass_digest(code))
        .order_by("-registered_at")
        .first()
    )
    if visit is None or not normalised_pass(code):
        raise AccessNotFoundError(AccessErrorCode.UNKNOWN_PASS, _("No pass with this code was issued in this court."))
    if visit.day != local_day(entrance.court):
        raise AccessForbiddenError(AccessErrorCode.PASS_NOT_TODAY, _("This pass was issued for another day."))
    return visit


def _badge(entrance: Entrance, number: str) -> Badge:
    badge = Badge.objects.select_related("user__person").filter(number=number.strip()).first()
    if badge is None or not number.strip():
        raise AccessNotFoundError(
            AccessErrorCode.UNKNOWN_BADGE, _("Badge %(number)s is not known."), params={"number": number.strip()[:20]}
        )
    if not badge.is_active:
        raise AccessForbiddenError(AccessErrorCode.BADGE_INACTIVE, _("This badge has been withdrawn."))
    if badge.court_id != entrance.court_id:
        raise AccessForbiddenError(AccessErrorCode.BADGE_OF_ANOTHER_COURT, _("This badge belongs to another court."))
    return badge


def _staff_passage(entrance: Entrance, badge: Badge, direction: str, now: dt.datetime) -> Visit:
    open_ = (
        Visit.objects.select_for_update().filter(badge=badge, status=VisitStatus.INSIDE).order_by("-entered_at").first()
    )
    if direction == Direction.IN:
        if open_ is not None:
            raise AccessConflictError(
                AccessErrorCode.ALREADY_INSIDE, _("This badge already came in and has not gone out.")
            )
        person = badge.user.person
        return Visit.objects.create(
            court=entrance.court,
            entrance=entrance,
            kind=VisitKind.STAFF,
            day=local_day(entrance.court, now),
            iin=person.iin if person is not None else "",
            full_name=person.full_name if person is not None else badge.user.get_username(),
            purpose=Purpose.OFFICE,
            badge=badge,
            status=VisitStatus.INSIDE,
            registered_at=now,
            entered_at=now,
        )
    if open_ is None:
        raise AccessConflictError(
            AccessErrorCode.NOT_INSIDE, _("This badge has not come in: there is no entry to close.")
        )
    open_.status, open_.left_at = VisitStatus.LEFT, now
    open_.save(update_fields=["status", "left_at", "updated_at"])
    return open_


def _visitor_passage(visit: Visit, direction: str, now: dt.datetime) -> Visit:
    status = visit.status
    if status == VisitStatus.HELD:
        raise AccessForbiddenError(
            AccessErrorCode.BANNED, _("The visitor is on the court's ban list: the court's security decides.")
        )
    if status == VisitStatus.REFUSED:
        raise AccessForbiddenError(AccessErrorCode.REFUSED, _("The court's security refused this visitor entry."))
    if direction == Direction.IN:
        if status == VisitStatus.INSIDE:
            raise AccessConflictError(AccessErrorCode.ALREADY_INSIDE, _("This pass has already been used to come in."))
        if status == VisitStatus.LEFT:
            raise AccessConflictError(
                AccessErrorCode.ALREADY_LEFT, _("This pass has been used to go out: register the visitor again.")
            )
        visit.status, visit.entered_at = VisitStatus.INSIDE, now
    else:
        if status == VisitStatus.REGISTERED:
            raise AccessConflictError(AccessErrorCode.NOT_INSIDE, _("This pass has not been used to come in."))
        if status == VisitStatus.LEFT:
            raise AccessConflictError(AccessErrorCode.ALREADY_LEFT, _("This pass has already been used to go out."))
        visit.status, visit.left_at = VisitStatus.LEFT, now
    visit.save(update_fields=["status", "entered_at", "left_at", "updated_at"])
    return visit


def record_passage(
    *,
    entrance: Entrance,
    direction: str,
    device: Device | None = None,
    officer: User | None = None,
    badge: str = "",
    pass_code: str = "",
    visit: Visit | None = None,
) -> Visit:
    """One event at `entrance`, by a device or the officer, with a badge number, a pass code, or (the
    officer's buttons) the visit itself. Allowed: the visit it opens or closes. Refused: the passage is
    committed with its reason, then the refusal raised (4xx)."""
    if direction not in Direction.values:
        raise AccessError(AccessErrorCode.INVALID, _("The direction must be in or out."), fields={"direction": []})
    now = clock.now()
    credential = badge.strip()[:20] if badge.strip() else (normalised_pass(pass_code)[:4] + "…" if pass_code else "")
    refusal: DomainError | None = None
    result: Visit | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                if badge.strip():
                    result = _staff_passage(entrance, _badge(entrance, badge), direction, now)
                elif pass_code.strip():
                    result = _visitor_passage(_pass_visit(entrance, pass_code), direction, now)
                elif visit is not None:
                    locked = Visit.objects.select_for_update().get(pk=visit.pk)
                    if locked.court_id != entrance.court_id:
                        raise AccessNotFoundError(AccessErrorCode.VISIT_NOT_FOUND, _("There is no such visit."))
                    result = _visitor_passage(locked, direction, now)
                else:
                    raise AccessError(
                        AccessErrorCode.NO_CREDENTIAL,
                        _("Send a badge number or a pass code."),
                        fields={"badge": [], "pass_code": []},
                    )
        except DomainError as error:
            refusal = error
        Passage.objects.create(
            at=now,
            court=entrance.court,
            entrance=entrance,
            device=device,
            officer=officer,
            direction=direction,
            visit=result or (visit if visit is not None and refusal is not None else None),
            credential=credential,
            allowed=refusal is None,
            reason=refusal.code if refusal is not None else "",
        )
        if device is not None:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
    if refusal is not None:
        raise refusal
    assert result is not None  # noqa: S101 - either a visit or a refusal
    return result


# --- The ban list, devices, entrances, readings ---------------------------------------------------------


@transaction.atomic
def add_ban(
    *,
    court: Court,
    officer: User,
    full_name: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date | None,
    iin: str = "",
    document_number: str = "",
    document_country: str = "",
) -> Ban:
    iin = parse_iin(iin) if iin.strip() else ""
    if not iin and not document_number.strip():
        raise _refuse("iin", str(_("Enter the person's IIN, or a foreign document's number and country.")))
    if not full_name.strip():
        raise _refuse("full_name", str(_("Enter the visitor's full name as in the document.")))
    if not reason.strip():
        raise _refuse("reason", str(_("State the reason of the ban.")))
    if ends_on is not None and ends_on < starts_on:
        raise _refuse("ends_on", str(_("The ban cannot end before it starts.")))
    return Ban.objects.create(
        court=court,
        iin=iin,
        document_number="" if iin else document_number.strip(),
        document_country="" if iin else document_country.strip().upper()[:2],
        full_name=full_name.strip(),
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=officer,
    )


@transaction.atomic
def lift_ban(*, ban: Ban, officer: User) -> Ban:
    if ban.lifted_at is None:
        ban.lifted_at, ban.lifted_by = clock.now(), officer
        ban.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
    return ban


@transaction.atomic
def register_device(*, entrance: Entrance, name: str, token: str | None = None) -> tuple[Device, str]:
    """A turnstile or reader at `entrance`, and its token: shown once, only its SHA-256 kept."""
    if not name.strip():
        raise _refuse("name", str(_("Name the device (e.g. turnstile 1).")))
    token = token or new_token()
    device = Device.objects.create(entrance=entrance, name=name.strip()[:100], token_hash=token_digest(token))
    return device, token


@transaction.atomic
def revoke_device(*, device: Device) -> Device:
    if device.revoked_at is None:
        device.revoked_at = clock.now()
        device.save(update_fields=["revoked_at", "updated_at"])
    return device


def add_entrance(*, court: Court, code: str, names: tuple[str, str, str], for_visitors: bool = True) -> Entrance:
    entrance, _created = Entrance.objects.get_or_create(
        court=court,
        code=code,
        defaults={"name_kk": names[0], "name_ru": names[1], "name_en": names[2], "for_visitors": for_visitors},
    )
    return entrance


def record_reading(*, user: User, court: Court, what: str, query: str = "") -> None:
    """Who looked at the court's visitor log, and what they asked (ADR 0104)."""
    LogReading.objects.create(at=clock.now(), user=user, court=court, what=what[:20], query=query[:300])
