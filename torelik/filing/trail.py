"""A filing's status trail: each step recorded, and the steps that follow the case it became
(judge assigned; accepted, returned, refused or left without motion, with the reason)."""

from typing import Any

from torelik.cases.events import CaseEventRecorded
from torelik.cases.models import CaseEvent, CaseEventKind, CaseStatus
from torelik.core import clock
from torelik.filing.models import Filing, FilingEvent, FilingStatus


def record_trail(filing: Filing, status: str, **data: Any) -> FilingEvent:
    return FilingEvent.objects.create(filing=filing, status=status, at=clock.now(), data=data)


_STATUS_TRAIL = {
    CaseStatus.ACCEPTED: FilingStatus.ACCEPTED,
    CaseStatus.RETURNED: FilingStatus.RETURNED,
    CaseStatus.REFUSED: FilingStatus.REFUSED,
    CaseStatus.LEFT_WITHOUT_MOTION: FilingStatus.LEFT_WITHOUT_MOTION,
}


def follow_case_event(event: CaseEventRecorded) -> None:
    """In the transaction of the case change: the filings that became this case take the step
    into their trail (judge assigned; accepted, returned, refused or left without motion, with
    the reason)."""
    if event.kind not in (CaseEventKind.ASSIGNED, CaseEventKind.STATUS_CHANGED):
        return
    filings = list(Filing.objects.filter(case_id=event.case_id, status__in=_FOLLOWED))
    if not filings:
        return
    row = CaseEvent.objects.select_related("case__judge__person").get(pk=event.event_id)
    if event.kind == CaseEventKind.ASSIGNED:
        judge = row.case.judge
        status = FilingStatus.ASSIGNED
        data: dict[str, Any] = {"judge": judge.person.full_name if judge is not None else ""}
    else:
        mapped = _STATUS_TRAIL.get(row.data.get("to", ""))
        if mapped is None:
            return
        status = mapped
        data = {"reason": str(row.data.get("reason", ""))}
    for filing in filings:
        filing.status = status
        filing.save(update_fields=["status", "updated_at"])
        record_trail(filing, status, **data)


_FOLLOWED = [
    FilingStatus.REGISTERED,
    FilingStatus.ASSIGNED,
    FilingStatus.ACCEPTED,
    FilingStatus.LEFT_WITHOUT_MOTION,
]
