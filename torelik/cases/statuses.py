"""Which status a case may move to from which, and who makes each move (the life of a case in the
court of first instance). A move names the court roles that may make it; a move with no roles is made
by the system alone (a draw, a term that ran out) and is refused to every person."""

from django.utils.translation import gettext_lazy as _

from torelik.cases.models import CaseStatus as S
from torelik.courts.models import StaffRole as R

JUDGES = frozenset({R.JUDGE, R.CHAIRMAN})
# Those who set and keep hearings: the judge, and the session secretary and assistant working for them.
HEARING_STAFF = JUDGES | {R.SECRETARY, R.ASSISTANT}
# The court office registers appeals against a decision and sends finished files to the archive.
OFFICE = frozenset({R.CLERK, R.CHAIRMAN})
SYSTEM: frozenset[str] = frozenset()

# from → {to: roles}. ГПК РК art. 151: within 5 working days the judge accepts, returns, refuses or
# leaves the claim without motion; art. 434 (in force after the appeal term) is the system's, from
# the judicial act's service and the term (see the acts context).
MOVES: dict[str, dict[str, frozenset[str]]] = {
    S.REGISTERED: {S.ASSIGNED: SYSTEM},
    S.ASSIGNED: {
        S.ACCEPTED: JUDGES,
        S.RETURNED: JUDGES,
        S.REFUSED: JUDGES,
        S.LEFT_WITHOUT_MOTION: JUDGES,
        S.ASSIGNED: SYSTEM,
    },
    S.LEFT_WITHOUT_MOTION: {S.ACCEPTED: JUDGES, S.RETURNED: JUDGES},
    S.ACCEPTED: {S.IN_PREPARATION: JUDGES, S.SCHEDULED: HEARING_STAFF, S.SUSPENDED: JUDGES, S.CLOSED: JUDGES},
    S.IN_PREPARATION: {S.SCHEDULED: HEARING_STAFF, S.SUSPENDED: JUDGES, S.CLOSED: JUDGES},
    S.SCHEDULED: {S.HEARD: HEARING_STAFF, S.SCHEDULED: HEARING_STAFF, S.SUSPENDED: JUDGES, S.CLOSED: JUDGES},
    S.HEARD: {S.DECIDED: JUDGES, S.SCHEDULED: HEARING_STAFF, S.CLOSED: JUDGES},
    S.DECIDED: {S.IN_FORCE: SYSTEM, S.APPEALED: OFFICE},
    S.APPEALED: {S.IN_FORCE: SYSTEM, S.IN_PREPARATION: JUDGES, S.CLOSED: JUDGES},
    S.IN_FORCE: {S.APPEALED: OFFICE, S.ARCHIVED: OFFICE},
    S.SUSPENDED: {S.IN_PREPARATION: JUDGES, S.SCHEDULED: HEARING_STAFF, S.CLOSED: JUDGES},
    S.RETURNED: {S.ARCHIVED: OFFICE},
    S.REFUSED: {S.ARCHIVED: OFFICE},
    S.CLOSED: {S.IN_FORCE: SYSTEM, S.ARCHIVED: OFFICE},
    S.ARCHIVED: {},
}

TRANSITIONS: dict[str, frozenset[str]] = {source: frozenset(moves) for source, moves in MOVES.items()}

# Reasons the system writes into the journal, shown by their translated names.
SYSTEM_REASONS = {
    "assignment": _("the judge was drawn by the distribution"),
    "distribution": _("the judge was drawn by the distribution"),
    "hearing scheduled": _("a hearing was scheduled"),
    "act announced": _("the judicial act was announced"),
    "appeal filed": _("an appeal was filed"),
    "entry into force": _("the judicial act entered into force"),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def roles_for(from_status: str, to_status: str) -> frozenset[str]:
    """The roles that may make this move (empty: the system only, or no such move)."""
    return MOVES.get(from_status, {}).get(to_status, SYSTEM)


def is_system_only(from_status: str, to_status: str) -> bool:
    return can_move(from_status, to_status) and not roles_for(from_status, to_status)


def moves_by(from_status: str, roles: frozenset[str]) -> list[str]:
    """The statuses a person holding `roles` may move a case to from `from_status`, in the list's order."""
    allowed = MOVES.get(from_status, {})
    return [status for status in S.values if status in allowed and allowed[status] & roles]
