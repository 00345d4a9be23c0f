"""The journal's handlers: an entry moves its counters in the transaction that records it, so a
rolled-back change leaves them as they were. A registration is counted from its event (it carries
what the counters need, nothing is read); a status change only when the case leaves or comes back
to the pending statuses; the other kinds the counters read, from their journal entry (a hearing's held
and recording entries also for the hearings recorded); published acts and SMS from their contexts'
events (ADR 0109)."""

from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
from torelik.cases.models import CaseEventKind
from torelik.notifications.events import MessageDelivered, MessagesSent
from torelik.publication.events import ActPublished
from torelik.reports import actions, tally


def on_case_registered(event: CaseRegistered) -> None:
    if event.registered_at is not None:
        facts = tally.CaseFacts(
            court_id=event.court_id,
            proceeding_type=event.proceeding_type,
            category_id=event.category_id,
            channel=event.channel,
            registered_at=event.registered_at,
        )
        actions.count(tally.increments(CaseEventKind.REGISTERED, event.registered_at, {}, facts), facts)
    else:  # a publisher that does not say: read the journal
        actions.count_registration(case_id=event.case_id)


def on_status_changed(event: CaseStatusChanged) -> None:
    if (event.from_status in tally.PENDING) != (event.to_status in tally.PENDING):
        actions.count_status_change(case_id=event.case_id)


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind in tally.ENTRY_KINDS:
        actions.count_entry(event_id=event.event_id)
    if event.kind in tally.HEARING_KINDS:
        actions.count_hearing_entry(event_id=event.event_id)


def on_act_published(event: ActPublished) -> None:
    actions.count_published(
        court_id=event.court_id, proceeding_type=event.proceeding_type, occurred_at=event.occurred_at
    )


def on_messages_sent(event: MessagesSent) -> None:
    actions.count_sms(message_ids=event.message_ids)


def on_message_delivered(event: MessageDelivered) -> None:
    actions.count_sms(message_ids=(event.message_id,), delivered=True)
