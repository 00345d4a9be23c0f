"""A filing's status trail: each step recorded, and the steps that follow the case it became
(judge assigned; accepted, returned, refused or left without motion, with the reason)."""

from typing import Any

from django.db import models
from django.db.models import Subquery
from django.utils import timezone

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
    # One read, also when the case came from no filing (a paper case): its filings, with what the
    # step says read along (the judge the assignment names, or the journal entry of the change).
    followed = Filing.objects.filter(case_id=event.case_id, status__in=_FOLLOWED)
    if event.kind == CaseEventKind.ASSIGNED:
        named = ("case__judge__person__surname", "case__judge__person__given_name", "case__judge__person__patronymic")
        filings = list(followed.select_related("case__judge__person").only("pk", *named))
        if not filings:
            return
        judge = filings[0].case.judge if filings[0].case is not None else None
        status = FilingStatus.ASSIGNED
        data: dict[str, Any] = {"judge": judge.person.full_name if judge is not None else ""}
    else:
        change = CaseEvent.objects.filter(pk=event.event_id).order_by().values("data")
        filings = list(followed.only("pk").annotate(change=Subquery(change, output_field=models.JSONField())))
        if not filings:
            return
        row = filings[0].change or {}  # type: ignore[attr-defined]
        mapped = _STATUS_TRAIL.get(row.get("to", ""))
        if mapped is None:
            return
        status = mapped
        data = {"reason": str(row.get("reason", ""))}
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
