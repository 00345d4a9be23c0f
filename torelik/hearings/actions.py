"""Every write of the hearings context: schedule, postpone, cancel, mark held; calendar feeds."""

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import (
    PROCEDURE_ROLES,
    DocumentInput,
    add_document,
    change_status,
    record_case_event,
)
from torelik.cases.models import Case, CaseEventKind, CaseStatus, Document
from torelik.cases.statuses import can_move
from torelik.core import clock
from torelik.core.tokens import new_token, token_digest
from torelik.courts.models import Court, Courtroom, Judge
from torelik.courts.queries import holds_role_in
from torelik.deadlines.working_calendar import working_calendar
from torelik.hearings.access import schedule_refusal
from torelik.hearings.errors import (
    HearingConflictError,
    HearingError,
    HearingErrorCode,
    HearingForbiddenError,
)
from torelik.hearings.models import (
    ACTIVE_STATUSES,
    EXCLUSIVE_ROLES,
    CalendarFeed,
    Facility,
    Hearing,
    HearingParticipant,
    HearingStatus,
    HearingType,
    LogMark,
    RecorderDevice,
    RemoteAttendance,
)
from torelik.hearings.record import hearing_record_pdf
from torelik.hearings.working_hours import court_zone, within_working_hours
from torelik.identity.models import Person, User

HEARING_RECORD_TYPE = "hearing_record"


@dataclass(frozen=True)
class ParticipantInput:
    role: str
    person: Person
    facility: Facility | None = None  # takes part by videoconference from this facility


def _overlapping(*, starts_at: dt.datetime, ends_at: dt.datetime, exclude: Hearing | None) -> QuerySet[Hearing]:
    hearings = Hearing.objects.filter(
        status__in=ACTIVE_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("case", "courtroom")
    return hearings.exclude(pk=exclude.pk) if exclude is not None else hearings


def _conflict(hearing: Hearing, field: str, message: str | Promise, params: dict[str, str]) -> HearingConflictError:
    zone = court_zone(hearing.courtroom.court)
    full = {
        **params,
        "case": hearing.case.number,
        "time": formats.date_format(hearing.starts_at.astimezone(zone), "DATETIME_FORMAT"),
        "courtroom": hearing.courtroom.number,
    }
    error = HearingConflictError(HearingErrorCode.CONFLICT, message, params=full)
    error.fields = {field: [error.message]}
    return error


def _check_conflicts(
    *,
    courtroom: Courtroom,
    judge: Judge,
    secretary: User | None,
    participants: Sequence[ParticipantInput],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude: Hearing | None = None,
) -> None:
    """Refuse double booking, naming the hearing in the way (courtroom, judge, secretary, prosecutor, lawyer)."""
    overlapping = _overlapping(starts_at=starts_at, ends_at=ends_at, exclude=exclude)
    clash = overlapping.filter(courtroom=courtroom).first()
    if clash is not None:
        raise _conflict(
            clash,
            "courtroom",
            _("Courtroom %(courtroom)s is taken by the hearing of case %(case)s at %(time)s."),
            {},
        )
    clash = overlapping.filter(judge=judge).first()
    if clash is not None:
        raise _conflict(
            clash,
            "judge",
            _("The judge %(name)s sits in the hearing of case %(case)s at %(time)s (courtroom %(courtroom)s)."),
            {"name": judge.person.short_name},
        )
    if secretary is not None:
        clash = overlapping.filter(secretary=secretary).first()
        if clash is not None:
            raise _conflict(
                clash,
                "secretary",
                _(
                    "The secretary %(name)s keeps the record of the hearing of case %(case)s at %(time)s "
                    "(courtroom %(courtroom)s)."
                ),
                {"name": secretary.get_full_name() or secretary.get_username()},
            )
    for participant in participants:
        if participant.role not in EXCLUSIVE_ROLES:
            continue
        clash = overlapping.filter(
            Q(participants__person=participant.person) & Q(participants__role__in=EXCLUSIVE_ROLES)
        ).first()
        if clash is not None:
            raise _conflict(
                clash,
                "participants",
                _(
                    "%(name)s takes part in the hearing of case %(case)s at %(time)s (courtroom %(courtroom)s) "
                    "as a prosecutor or lawyer."
                ),
                {"name": participant.person.short_name},
            )


def _check_time(*, case: Case, courtroom: Courtroom, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if courtroom.court_id != case.court_id:
        raise HearingError(
            HearingErrorCode.COURTROOM_OF_ANOTHER_COURT,
            _("Courtroom %(courtroom)s belongs to another court than the case."),
            params={"courtroom": str(courtroom)},
            fields={"courtroom": [str(_("This courtroom belongs to another court."))]},
        )
    if ends_at <= starts_at:
        raise HearingError(
            HearingErrorCode.END_BEFORE_START,
            _("A hearing must end after it starts."),
            fields={"ends_at": [str(_("A hearing must end after it starts."))]},
        )
    if starts_at < clock.now():
        raise HearingError(
            HearingErrorCode.IN_THE_PAST,
            _("A hearing cannot be scheduled in the past."),
            fields={"starts_at": [str(_("A hearing cannot be scheduled in the past."))]},
        )
    if not within_working_hours(starts_at=starts_at, ends_at=ends_at, zone=court_zone(case.court)):
        raise HearingError(
            HearingErrorCode.OUTSIDE_WORKING_HOURS,
            _("Courts sit from 09:00 to 18:30 local time, Monday to Friday."),
            fields={"starts_at": [str(_("Courts sit from 09:00 to 18:30 local time, Monday to Friday."))]},
        )
    # Public holidays, moved days off and declared non-working days: the deadlines' working calendar
    # (holidays.KZ and the override table); a declared working Saturday is still outside the hours.
    day = starts_at.astimezone(court_zone(case.court)).date()
    if not working_calendar().is_working(day):
        raise HearingError(
            HearingErrorCode.OUTSIDE_WORKING_HOURS,
            _("%(day)s is not a working day."),
            params={"day": day.strftime("%d.%m.%Y")},
            fields={"starts_at": [str(_("Courts do not sit on public holidays and days off."))]},
        )


def _check_staff(actor: User | None, case: Case) -> None:
    if actor is not None and not holds_role_in(actor, case.court, PROCEDURE_ROLES):
        raise HearingForbiddenError(
            HearingErrorCode.NOT_STAFF_OF_COURT,
            _("Only the judges and the office of %(court)s schedule its hearings."),
            params={"court": case.court.name},
        )


@transaction.atomic
def schedule_hearing(
    *,
    case: Case,
    courtroom: Courtroom,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    actor: User | None,
    kind: str = HearingType.MAIN,
    judge: Judge | None = None,
    secretary: User | None = None,
    is_closed: bool = False,
    participants: Sequence[ParticipantInput] = (),
) -> Hearing:
    """Put a hearing of `case` in `courtroom`, refusing a time in the past, outside working hours or taken;
    only the case's judge and the staff working for that judge schedule, once the case is accepted."""
    refusal = schedule_refusal(actor, case)
    if refusal is not None:
        raise refusal
    _check_time(case=case, courtroom=courtroom, starts_at=starts_at, ends_at=ends_at)
    sitting = judge or case.judge
    if sitting is None:
        raise HearingError(
            HearingErrorCode.JUDGE_OF_ANOTHER_COURT,
            _("The case has no judge yet: a hearing needs one."),
            fields={"judge": [str(_("The case has no judge yet: a hearing needs one."))]},
        )
    # Serialise scheduling in one courtroom so that two secretaries cannot book the same slot.
    Courtroom.objects.select_for_update().filter(pk=courtroom.pk).first()
    _check_conflicts(
        courtroom=courtroom,
        judge=sitting,
        secretary=secretary,
        participants=participants,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    hearing = Hearing.objects.create(
        case=case,
        courtroom=courtroom,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        judge=sitting,
        secretary=secretary,
        is_closed=is_closed,
    )
    rows = HearingParticipant.objects.bulk_create(
        HearingParticipant(hearing=hearing, role=participant.role, person=participant.person)
        for participant in participants
    )
    remote = [(row, given.facility) for row, given in zip(rows, participants, strict=True) if given.facility]
    if remote and not courtroom.has_videoconference:
        raise HearingError(
            HearingErrorCode.NO_VIDEOCONFERENCE,
            _("Courtroom %(courtroom)s has no videoconference equipment."),
            params={"courtroom": courtroom.number},
            fields={"courtroom": [str(_("Choose a courtroom with videoconference equipment."))]},
        )
    RemoteAttendance.objects.bulk_create(
        RemoteAttendance(participant=row, facility=facility) for row, facility in remote if facility is not None
    )
    record_case_event(
        case=case,
        kind=CaseEventKind.HEARING_SCHEDULED,
        actor=actor,
        data={
            "hearing": str(hearing.public_id),
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "courtroom": courtroom.number,
            "kind": kind,
            "closed": is_closed,
        },
    )
    case.refresh_from_db(fields=["status"])
    if case.status != CaseStatus.SCHEDULED and can_move(case.status, CaseStatus.SCHEDULED):
        change_status(case=case, to=CaseStatus.SCHEDULED, actor=actor, reason="hearing scheduled")
    return hearing


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise HearingError(
            HearingErrorCode.REASON_REQUIRED,
            _("Give the reason."),
            fields={"reason": [str(_("Give the reason."))]},
        )


def _require_scheduled(hearing: Hearing) -> None:
    if hearing.status != HearingStatus.SCHEDULED:
        raise HearingError(
            HearingErrorCode.NOT_SCHEDULED,
            _("The hearing is %(status)s, not scheduled."),
            params={"status": hearing.get_status_display()},
        )


@transaction.atomic
def postpone_hearing(
    *,
    hearing: Hearing,
    reason: str,
    actor: User | None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
) -> Hearing | None:
    """Postpone a hearing with a reason; with a new time, schedule the next one and return it."""
    _check_staff(actor, hearing.case)
    _require_reason(reason)
    hearing = Hearing.objects.select_for_update().select_related("case__court", "courtroom").get(pk=hearing.pk)
    _require_scheduled(hearing)
    hearing.status, hearing.reason = HearingStatus.POSTPONED, reason
    hearing.save(update_fields=["status", "reason", "updated_at"])
    record_case_event(
        case=hearing.case,
        kind=CaseEventKind.HEARING_POSTPONED,
        actor=actor,
        data={"hearing": str(hearing.public_id), "reason": reason},
    )
    if starts_at is None or ends_at is None:
        return None
    participants = [ParticipantInput(role=p.role, person=p.person) for p in hearing.participants.all()]
    return schedule_hearing(
        case=hearing.case,
        courtroom=hearing.courtroom,
        starts_at=starts_at,
        ends_at=ends_at,
        actor=actor,
        kind=hearing.kind,
        judge=hearing.judge,
        secretary=hearing.secretary,
        is_closed=hearing.is_closed,
        participants=participants,
    )


@transaction.atomic
def cancel_hearing(*, hearing: Hearing, reason: str, actor: User | None) -> Hearing:
    _check_staff(actor, hearing.case)
    _require_reason(reason)
    hearing = Hearing.objects.select_for_update().select_related("case").get(pk=hearing.pk)
    _require_scheduled(hearing)
    hearing.status, hearing.reason = HearingStatus.CANCELLED, reason
    hearing.save(update_fields=["status", "reason", "updated_at"])
    record_case_event(
        case=hearing.case,
        kind=CaseEventKind.HEARING_CANCELLED,
        actor=actor,
        data={"hearing": str(hearing.public_id), "reason": reason},
    )
    return hearing


@transaction.atomic
def mark_held(*, hearing: Hearing, actor: User | None) -> Hearing:
    _check_staff(actor, hearing.case)
    hearing = Hearing.objects.select_for_update().select_related("case").get(pk=hearing.pk)
    _require_scheduled(hearing)
    hearing.status = HearingStatus.HELD
    hearing.save(update_fields=["status", "updated_at"])
    record_case_event(
        case=hearing.case, kind=CaseEventKind.HEARING_HELD, actor=actor, data={"hearing": str(hearing.public_id)}
    )
    return hearing


@transaction.atomic
def issue_calendar_feed(*, user: User) -> str:
    """A new secret feed token for `user` (replacing any earlier one); only its hash is kept."""
    token = new_token()
    CalendarFeed.objects.filter(user=user).delete()
    CalendarFeed.objects.create(user=user, token_hash=token_digest(token))
    return token


def revoke_calendar_feed(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


# --- Recorders, log marks and the hearing record -----------------------------------------------

# A session may open a little early and run late; a mark outside this window is a wrong clock
# or a wrong hearing.
EARLY_OPENING = dt.timedelta(minutes=30)
OVERRUN = dt.timedelta(hours=3)


def register_recorder(*, court: Court, name: str, valid_until: dt.datetime) -> tuple[RecorderDevice, str]:
    """A recorder for `court` and its secret token (shown once; only the hash is kept)."""
    token = new_token()
    device = RecorderDevice.objects.create(
        court=court, name=name, token_hash=token_digest(token), valid_until=valid_until
    )
    return device, token


@transaction.atomic
def add_log_mark(
    *,
    hearing: Hearing,
    at: dt.datetime,
    kind: str,
    text: str = "",
    device: RecorderDevice | None = None,
    actor: User | None = None,
) -> LogMark:
    """Append a mark to the session's log; the recorder must be of the hearing's court, a person its staff."""
    court = hearing.courtroom.court
    if device is not None and device.court_id != court.pk:
        raise HearingForbiddenError(HearingErrorCode.NOT_STAFF_OF_COURT, _("This recorder belongs to another court."))
    if device is None:
        _check_staff(actor, hearing.case)
    if hearing.status not in ACTIVE_STATUSES:
        _require_scheduled(hearing)
    if not hearing.starts_at - EARLY_OPENING <= at <= hearing.ends_at + OVERRUN:
        raise HearingError(
            HearingErrorCode.MARK_OUTSIDE_SESSION,
            _("The mark's time is outside the session (%(start)s – %(end)s)."),
            params={
                "start": hearing.starts_at.astimezone(court_zone(court)).strftime("%H:%M"),
                "end": hearing.ends_at.astimezone(court_zone(court)).strftime("%H:%M"),
            },
            fields={"at": [str(_("The time is outside the session."))]},
        )
    return LogMark.objects.create(hearing=hearing, at=at, kind=kind, text=text, device=device, author=actor)


@transaction.atomic
def generate_hearing_record(*, hearing: Hearing, actor: User | None, recording_url: str = "") -> Document:
    """Draw the record from the log marks, attach it to the case, and mark the hearing held."""
    _check_staff(actor, hearing.case)
    marks = list(hearing.marks.order_by("at", "id"))
    if not marks:
        raise HearingError(HearingErrorCode.NO_MARKS, _("The hearing has no log marks to draw a record from."))
    pdf = hearing_record_pdf(hearing, marks, recording_url=recording_url)
    if hearing.status == HearingStatus.SCHEDULED:
        hearing = mark_held(hearing=hearing, actor=actor)
    document = add_document(
        case=hearing.case,
        document=DocumentInput(
            document_type=HEARING_RECORD_TYPE,
            title=str(_("Record of the hearing")),
            filename=f"hearing-record-{hearing.public_id}.pdf",
            content=io.BytesIO(pdf),
        ),
        actor=actor,
    )
    Hearing.objects.filter(pk=hearing.pk).update(record=document)
    hearing.record = document
    record_case_event(
        case=hearing.case,
        kind=CaseEventKind.HEARING_RECORD_GENERATED,
        actor=actor,
        data={"hearing": str(hearing.public_id), "document": str(document.public_id), "marks": len(marks)},
    )
    return document
