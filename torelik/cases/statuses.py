"""Which status a case may move to from which (the life of a case in the court of first instance)."""

from torelik.cases.models import CaseStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERED: frozenset({S.ASSIGNED}),
    # ГПК РК art. 151: within 5 working days the judge accepts, returns, refuses or leaves without motion.
    S.ASSIGNED: frozenset({S.ACCEPTED, S.RETURNED, S.REFUSED, S.LEFT_WITHOUT_MOTION, S.ASSIGNED}),
    S.LEFT_WITHOUT_MOTION: frozenset({S.ACCEPTED, S.RETURNED}),
    S.ACCEPTED: frozenset({S.IN_PREPARATION, S.SCHEDULED, S.SUSPENDED, S.CLOSED}),
    S.IN_PREPARATION: frozenset({S.SCHEDULED, S.SUSPENDED, S.CLOSED}),
    S.SCHEDULED: frozenset({S.HEARD, S.SCHEDULED, S.SUSPENDED, S.CLOSED}),
    S.HEARD: frozenset({S.DECIDED, S.SCHEDULED, S.CLOSED}),
    S.DECIDED: frozenset({S.IN_FORCE, S.APPEALED}),
    S.APPEALED: frozenset({S.IN_FORCE, S.IN_PREPARATION, S.CLOSED}),
    S.IN_FORCE: frozenset({S.APPEALED, S.ARCHIVED}),
    S.SUSPENDED: frozenset({S.IN_PREPARATION, S.SCHEDULED, S.CLOSED}),
    S.RETURNED: frozenset({S.ARCHIVED}),
    S.REFUSED: frozenset({S.ARCHIVED}),
    S.CLOSED: frozenset({S.IN_FORCE, S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
