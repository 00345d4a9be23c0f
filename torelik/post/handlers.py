"""How the post reacts to the case journal (registered in `PostConfig.ready()`): a revoked subpoena
withdraws the letter that carries it, in the transaction of the revocation (ADR 0070)."""

from torelik.cases.events import CaseEventRecorded
from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.post import actions


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind != CaseEventKind.SUBPOENA_REVOKED:
        return
    entry = CaseEvent.objects.get(pk=event.event_id)
    number = str(entry.data.get("subpoena", ""))
    if number:
        reason = str(entry.data.get("reason", "")) or str(CaseEventKind.SUBPOENA_REVOKED.label)
        actions.withdraw_letter(cause=f"subpoena:{number}", reason=reason, actor=entry.actor)
