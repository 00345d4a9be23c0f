"""Who reaches which hearing, written once. A person reaches the hearings of the cases they may see
(`cases.access`); a courtroom recorder, by its device token, any hearing (the action checks that it is
of the recorder's court) and its own uploads; a recording is played by those who may see its case.
Anyone else is told the hearing, upload or recording does not exist. Who may schedule
a hearing (the case's own judge and the staff working for that judge, once the case is accepted:
ADR 0046) is written here too."""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import access_case_for, cases_visible_to, staff_court_ids
from torelik.cases.models import Case, CaseStatus
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.tokens import token_digest
from torelik.courts.models import StaffPosition, StaffRole
from torelik.courts.queries import positions_of
from torelik.hearings.errors import (
    DeviceTokenError,
    HearingError,
    HearingErrorCode,
    HearingForbiddenError,
    HearingNotFoundError,
)
from torelik.hearings.models import Hearing, RecorderDevice, Recording, RecordingUpload, RemoteAttendance
from torelik.identity.models import User

# What a hearing is shown and changed with: its case, courtroom and judge with their court and region.
_HEARING_RELATIONS = ("case__court__region", "case__category", "courtroom__court__region", "judge__person")


def _no_hearing() -> HearingNotFoundError:
    return HearingNotFoundError(HearingErrorCode.NOT_FOUND, _("There is no such hearing."))


def case_to_schedule(user: User | None, number: str) -> Case:
    """The case numbered `number` if `user` may see it (whether they may schedule its hearings is
    the action's rule), else HearingNotFoundError."""
    case = cases_visible_to(user).select_related("court__region", "judge__person").filter(number=number).first()
    if case is None:
        raise HearingNotFoundError(
            HearingErrorCode.CASE_NOT_FOUND, _("There is no case %(number)s."), params={"number": number}
        )
    return case


def hearing_for(user: User | None, hearing_id: uuid.UUID) -> Hearing:
    """A hearing of a case `user` may see."""
    hearing = (
        Hearing.objects.select_related(*_HEARING_RELATIONS)
        .filter(public_id=hearing_id, case__in=cases_visible_to(user))
        .first()
    )
    if hearing is None:
        raise _no_hearing()
    return hearing


def hearing_for_recorder(hearing_id: uuid.UUID) -> Hearing:
    """Any hearing, for a recorder (authenticated by its token; the action refuses another court's)."""
    hearing = Hearing.objects.select_related(*_HEARING_RELATIONS).filter(public_id=hearing_id).first()
    if hearing is None:
        raise _no_hearing()
    return hearing


def recorder_for_token(token: str) -> RecorderDevice:
    """The courtroom recorder holding `token`, while the token is valid."""
    device = RecorderDevice.objects.select_related("court").filter(token_hash=token_digest(token)).first()
    if device is None:
        raise DeviceTokenError(HearingErrorCode.DEVICE_TOKEN_INVALID, _("The device token is not known."))
    if device.valid_until <= clock.now():
        raise DeviceTokenError(HearingErrorCode.DEVICE_TOKEN_EXPIRED, _("The device token has expired."))
    return device


def upload_of(device: RecorderDevice, hearing_id: uuid.UUID, upload_id: uuid.UUID) -> RecordingUpload:
    """An upload of a hearing's recording that `device` started."""
    upload = (
        RecordingUpload.objects.select_related("hearing__courtroom")
        .filter(public_id=upload_id, hearing__public_id=hearing_id, device=device)
        .first()
    )
    if upload is None:
        raise HearingNotFoundError(HearingErrorCode.UPLOAD_NOT_FOUND, _("There is no such upload."))
    return upload


def recording_for(user: User | None, hearing_id: uuid.UUID, recording_id: uuid.UUID) -> Recording:
    """A recording of a hearing, for those who may see its case (a staff reading is recorded)."""
    recording = (
        Recording.objects.select_related("file", "hearing__case")
        .filter(public_id=recording_id, hearing__public_id=hearing_id)
        .first()
    )
    if recording is None:
        raise HearingNotFoundError(HearingErrorCode.RECORDING_NOT_FOUND, _("There is no such recording."))
    access_case_for(user, recording.hearing.case.number)
    return recording


def attendances_visible_to(user: User | None, hearing: Hearing) -> QuerySet[RemoteAttendance]:
    """The remote attendances of `hearing` whose join links `user` sees: all of them for the staff of
    the hearing's court, their own for a participant, none for anyone else."""
    attendances = RemoteAttendance.objects.filter(participant__hearing=hearing).select_related(
        "participant__person", "participant__hearing", "facility"
    )
    if hearing.case.court_id in staff_court_ids(user):
        return attendances
    person_id = user.person_id if user is not None else None
    return attendances.filter(participant__person_id=person_id) if person_id is not None else attendances.none()


# --- Who schedules (ADR 0046) ---

# ГПК РК arts. 151, 165: a hearing is set once the claim is accepted (the preparation starts there).
SCHEDULABLE_STATUSES = frozenset(
    {CaseStatus.ACCEPTED, CaseStatus.IN_PREPARATION, CaseStatus.SCHEDULED, CaseStatus.HEARD, CaseStatus.DECIDED}
)
JUDICIAL_ROLES = frozenset({StaffRole.JUDGE, StaffRole.CHAIRMAN})
JUDGES_STAFF_ROLES = frozenset({StaffRole.SECRETARY, StaffRole.ASSISTANT})


def _positions(user: User, case: Case) -> list[StaffPosition]:
    return list(positions_of(user).filter(court_id=case.court_id))


def acts_for_the_judge_of(user: User | None, case: Case) -> bool:
    """Whether `user` is the case's judge (sitting in its court), or works for that judge as its
    secretary or assistant in that court today."""
    if user is None or not user.is_authenticated or case.judge_id is None:
        return False
    for position in _positions(user, case):
        if position.role in JUDICIAL_ROLES and user.person_id is not None and case.judge is not None:
            if case.judge.person_id == user.person_id:
                return True
        elif position.role in JUDGES_STAFF_ROLES and position.judge_id == case.judge_id:
            return True
    return False


def schedule_refusal(user: User | None, case: Case) -> DomainError | None:
    """Why `user` may not schedule a hearing of `case` now, or None if they may. `user` None is the
    system itself (demo seeding, a postponement's next hearing), which is held to the status rule only."""
    if user is not None and not acts_for_the_judge_of(user, case):
        return HearingForbiddenError(
            HearingErrorCode.NOT_JUDGE_OF_CASE,
            _("Only the judge of case %(number)s and the staff working for that judge schedule its hearings."),
            params={"number": case.number},
        )
    if case.status not in SCHEDULABLE_STATUSES:
        error = HearingError(
            HearingErrorCode.CASE_NOT_ACCEPTED,
            _("Case %(number)s is %(status)s: a hearing is scheduled once the judge accepts it into proceedings."),
            params={"number": case.number, "status": CaseStatus(case.status).label},
        )
        error.fields = {"case": [error.message]}
        return error
    return None


def may_schedule(user: User | None, case: Case) -> bool:
    return schedule_refusal(user, case) is None
