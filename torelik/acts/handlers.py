"""How the acts context reacts to the case journal (registered in `ActsConfig.ready()`): a letter that
carried an act and that the post reports delivered is the act's delivery to that party, on the day of
delivery, in the transaction that records the letter's final status (ADR 0070)."""

import datetime as dt

from torelik.acts import actions
from torelik.cases.events import CaseEventRecorded
from torelik.cases.models import CaseEvent, CaseEventKind


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind != CaseEventKind.LETTER_DELIVERED:
        return
    entry = CaseEvent.objects.get(pk=event.event_id)
    acts = [str(e.get("reference", "")) for e in entry.data.get("enclosures", []) if e.get("kind") == "act"]
    if not acts:
        return
    try:
        served_at = dt.datetime.fromisoformat(str(entry.data.get("at", "")))
    except ValueError:
        served_at = entry.occurred_at
    for act_id in acts:
        actions.served_by_letter(
            act_id=act_id,
            party_id=str(entry.data.get("party", "")),
            served_at=served_at,
            barcode=str(entry.data.get("barcode", "")),
        )
