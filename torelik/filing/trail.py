"""A filing's status trail: each step recorded, and the steps that follow the case it became
(judge assigned; accepted, returned, refused or left without motion, with the reason)."""

from typing import Any

from django.utils import timezone

from torelik.cases.events import CaseEventRecorded
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
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
    # One read when the case came from no filing (a paper case): its filings, with the judge
    # the assignment names read along.
    filings = list(Filing.objects.filter(case_id=event.case_id, status__in=_FOLLOWED))
    if not filings:
        return
    if event.kind == CaseEventKind.ASSIGNED:
        judge = Case.objects.select_related("judge__person").get(pk=event.case_id).judge
        status = FilingStatus.ASSIGNED
        data: dict[str, Any] = {"judge": judge.person.full_name if judge is not None else ""}
    else:
        row = CaseEvent.objects.get(pk=event.event_id)
        mapped = _STATUS_TRAIL.get(row.data.get("to", ""))
        if mapped is None:
            return
        status = mapped
        data = {"reason": str(row.data.get("reason", ""))}
    # What `save(update_fields=["status", "updated_at"])` and `record_trail` wrote per filing, in one
    # update and one insert.
    Filing.objects.filter(pk__in=[f.pk for f in filings]).update(status=status, updated_at=timezone.now())
    at = clock.now()
    FilingEvent.objects.bulk_create(FilingEvent(filing=f, status=status, at=at, data=dict(data)) for f in filings)


_FOLLOWED = [
    FilingStatus.REGISTERED,
    FilingStatus.ASSIGNED,
    FilingStatus.ACCEPTED,
    FilingStatus.LEFT_WITHOUT_MOTION,
]
