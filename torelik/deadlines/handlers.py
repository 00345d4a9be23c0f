"""Reactions to the case file's events on the bus: terms open, close, pause and resume in the same
transaction as the change that moves them. Our own journal entries (TERM_*) come back through the
bus as CaseEventRecorded too; only the assignment of a judge and a letter served are acted upon, so there
is no loop."""

import datetime as dt

from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.deadlines import actions
from torelik.deadlines.models import Trigger

COPIES = {"act", "claim_copy"}
# The event a judicial act's appeal term counts from (the acts context names it with the term it
# computed: `appeal_term.from`), as the moment that opens the deadlines' own appeal term (ADR 0069).
APPEAL_TERM_FROM = {
    "announced": Trigger.ACT_ANNOUNCED,
    "final_form": Trigger.DECISION_FINAL_FORM,
    "served": Trigger.ACT_SERVED,
}


def on_case_registered(event: CaseRegistered) -> None:
    actions.apply_trigger(case_id=event.case_id, trigger=Trigger.REGISTERED)


def on_status_changed(event: CaseStatusChanged) -> None:
    actions.apply_trigger(case_id=event.case_id, trigger=event.to_status, from_status=event.from_status)


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind in (CaseEventKind.ACT_ANNOUNCED, CaseEventKind.ACT_SERVED):
        _act_starts_appeal_term(event)
    elif event.kind == CaseEventKind.ASSIGNED:
        actions.follow_judge(case_id=event.case_id)
    elif event.kind == CaseEventKind.LETTER_DELIVERED:
        # The postal record of service: a term that runs from service starts on the day of delivery,
        # not on the day the post reported it; a served copy of an act or claim is its delivery too.
        entry = CaseEvent.objects.get(pk=event.event_id)
        served_on = dt.date.fromisoformat(str(entry.data.get("date")))
        actions.apply_trigger(case_id=event.case_id, trigger=Trigger.SERVED, event_date=served_on)
        kinds = {str(e.get("kind", "")) for e in entry.data.get("enclosures", [])}
        if kinds & COPIES:
            actions.apply_trigger(case_id=event.case_id, trigger=Trigger.COPY_DELIVERED, event_date=served_on)


def _act_starts_appeal_term(event: CaseEventRecorded) -> None:
    """An act announced (or delivered to its last party) whose appeal term has started: the term of
    the case's appeal rule opens on the same event and day as the act's (one source of the term)."""
    entry = CaseEvent.objects.get(pk=event.event_id)
    term = entry.data.get("appeal_term")
    if not isinstance(term, dict) or entry.data.get("review") != "appeal":
        return
    trigger = APPEAL_TERM_FROM.get(str(term.get("from", "")))
    if trigger is None:
        return
    actions.apply_trigger(
        case_id=event.case_id, trigger=trigger, event_date=dt.date.fromisoformat(str(term["event_date"]))
    )
