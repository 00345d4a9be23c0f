"""How the summons context reacts to the case journal (handlers registered in `SummonsConfig.ready()`):
a scheduled hearing issues subpoenas, a postponed or cancelled one revokes them, a registered claim
gives the defendant an SMS login to the documents and tells a consenting paper claimant the case's
number. All run in the transaction of the change, so a rolled-back scheduling leaves no subpoena and no
message behind."""

from torelik.cases.events import CaseEventRecorded, CaseRegistered
from torelik.cases.models import CaseEvent, CaseEventKind, PartyRole
from torelik.hearings.models import Hearing
from torelik.summons import actions

REVOKING = {CaseEventKind.HEARING_POSTPONED, CaseEventKind.HEARING_CANCELLED}


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind != CaseEventKind.HEARING_SCHEDULED and event.kind not in REVOKING:
        return
    entry = CaseEvent.objects.select_related("actor").get(pk=event.event_id)
    hearing = Hearing.objects.filter(public_id=entry.data.get("hearing")).first()
    if hearing is None:
        return
    if event.kind == CaseEventKind.HEARING_SCHEDULED:
        actions.issue_subpoenas(hearing=hearing, actor=entry.actor)
    else:
        reason = str(entry.data.get("reason", "")) or CaseEventKind(event.kind).label
        actions.revoke_subpoenas(hearing=hearing, reason=str(reason), actor=entry.actor)


def on_case_registered(event: CaseRegistered) -> None:
    for party in actions.entitled_parties(event.case_id):
        if party.role == PartyRole.DEFENDANT:
            actions.grant_document_access(case=party.case, party=party)
        else:
            actions.notify_filer_of_registration(case=party.case, party=party)
