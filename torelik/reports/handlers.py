"""The journal's handler: every entry moves its counters in the transaction that records it, so a
rolled-back change leaves them as they were."""

from torelik.cases.events import CaseEventRecorded
from torelik.reports import actions, tally


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind in tally.KINDS:
        actions.count_entry(event_id=event.event_id)
