"""A filing's status trail: each step recorded, and the steps that follow the case it became
(judge assigned; accepted, returned, refused or left without motion, with the reason).

The handlers run in the transaction of every assignment and status change of every case, paper
cases (which no filing became) included: a change of status the trail does not follow costs
nothing, and an assignment one plain SQL read (`queries.filings_following`)."""

from typing import Any

from django.utils import timezone

from torelik.cases.events import CaseEventRecorded, CaseStatusChanged
from torelik.cases.models import CaseEventKind, CaseStatus
from torelik.core import clock
from torelik.filing.models import Filing, FilingEvent, FilingStatus
from torelik.filing.queries import filings_following


def record_trail(filing: Filing, status: str, **data: Any) -> FilingEvent:
    return FilingEvent.objects.create(filing=filing, status=status, at=clock.now(), data=data)


_STATUS_TRAIL: dict[str, str] = {
    CaseStatus.ACCEPTED: FilingStatus.ACCEPTED,
    CaseStatus.RETURNED: FilingStatus.RETURNED,
    CaseStatus.REFUSED: FilingStatus.REFUSED,
    CaseStatus.LEFT_WITHOUT_MOTION: FilingStatus.LEFT_WITHOUT_MOTION,
}


def follow_assignment(event: CaseEventRecorded) -> None:
    """In the transaction of the case change: the filings that became this case take the step
    "judge assigned", with the judge's name."""
    if event.kind != CaseEventKind.ASSIGNED:
        return
    following = filings_following(event.case_id)
    if following:
        _step([pk for pk, _judge in following], FilingStatus.ASSIGNED, {"judge": following[0][1]})


def follow_status(event: CaseStatusChanged) -> None:
    """The filings that became this case take the step its new status means for them (accepted,
    returned, refused or left without motion), with the reason."""
    status = _STATUS_TRAIL.get(event.to_status)
    if status is None:
        return
    following = filings_following(event.case_id)
    if following:
        _step([pk for pk, _judge in following], status, {"reason": event.reason})


def _step(filings: list[int], status: str, data: dict[str, Any]) -> None:
    # What `save(update_fields=["status", "updated_at"])` and `record_trail` wrote per filing, in one
    # update and one insert.
    Filing.objects.filter(pk__in=filings).update(status=status, updated_at=timezone.now())
    at = clock.now()
    FilingEvent.objects.bulk_create(FilingEvent(filing_id=pk, status=status, at=at, data=dict(data)) for pk in filings)
