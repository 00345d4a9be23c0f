"""Events the case file publishes on the bus for other contexts (distribution, deadlines, notices)."""

import datetime as dt
from dataclasses import dataclass

from torelik.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CaseEventRecorded(DomainEvent):
    """Any entry of the journal; `kind` says which (see CaseEventKind)."""

    case_id: int
    event_id: int
    kind: str


@dataclass(frozen=True, kw_only=True)
class CaseRegistered(DomainEvent):
    case_id: int
    court_id: int
    number: str
    # What the statistics count a registration by, so that counting it reads nothing (reports).
    proceeding_type: str = ""
    category_id: int = 0
    channel: str = ""
    registered_at: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CaseStatusChanged(DomainEvent):
    case_id: int
    from_status: str
    to_status: str
    reason: str = ""  # as the journal entry of the change holds it
