"""Reactions to the case file's events on the bus: terms open, close, pause and resume in the same
transaction as the change that moves them. Our own journal entries (TERM_*) come back through the
bus as CaseEventRecorded too; only the assignment of a judge is acted upon, so there is no loop."""

from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
from torelik.cases.models import CaseEventKind
from torelik.deadlines import actions
from torelik.deadlines.models import Trigger


def on_case_registered(event: CaseRegistered) -> None:
    actions.apply_trigger(case_id=event.case_id, trigger=Trigger.REGISTERED)


def on_status_changed(event: CaseStatusChanged) -> None:
    actions.apply_trigger(case_id=event.case_id, trigger=event.to_status, from_status=event.from_status)


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind == CaseEventKind.ASSIGNED:
        actions.follow_judge(case_id=event.case_id)
