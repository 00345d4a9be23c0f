"""How the exchange reacts to the case journal (registered in `ExchangeConfig.ready()`), in the transaction
of the journal entry (ADR 0092): what partners must learn of is written to the outbox with it.

- a writ of execution issued for an act in force → the enforcement committee (`writ_in_force`);
- a criminal sentence in force, and a higher court's act in force that changed it → the penal correction
  system (`sentence_in_force`, `sentence_changed`);
- a case's status and its hearings → the e-government portal, for the citizens who are its parties.

Nothing is read unless a connected partner subscribed to the event type."""

import base64

from torelik.acts.models import Act, ActStatus
from torelik.archive.queries import open_stored_file
from torelik.cases.events import CaseEventRecorded, CaseStatusChanged
from torelik.cases.models import Case, CaseEvent, CaseEventKind, Document, Party, PartyRole
from torelik.exchange import outbox, partners
from torelik.exchange.schemas.acts import (
    Attachment,
    SentenceChangedV1,
    SentenceInForceV1,
    WritInForceV1,
)
from torelik.exchange.schemas.common import CourtRef, PartyRef
from torelik.exchange.schemas.portal import CaseStatusV1, HearingV1
from torelik.hearings.models import Hearing

WRIT_TYPE = "writ_of_execution"
SENTENCE = "criminal-sentence"
CHANGING = ("changed", "quashed", "sent_back")
HEARING_CHANGES = {
    CaseEventKind.HEARING_SCHEDULED: "scheduled",
    CaseEventKind.HEARING_POSTPONED: "postponed",
    CaseEventKind.HEARING_CANCELLED: "cancelled",
    CaseEventKind.HEARING_HELD: "held",
}


def on_case_event(event: CaseEventRecorded) -> None:
    if event.kind == CaseEventKind.DOCUMENT_ADDED and partners.subscribers("writ_in_force"):
        _writ(CaseEvent.objects.get(pk=event.event_id))
    elif event.kind == CaseEventKind.ENTERED_INTO_FORCE and (
        partners.subscribers("sentence_in_force") or partners.subscribers("sentence_changed")
    ):
        _sentence(CaseEvent.objects.get(pk=event.event_id))
    elif event.kind in HEARING_CHANGES and partners.subscribers("hearing"):
        _hearing(CaseEvent.objects.get(pk=event.event_id))


def on_status_changed(event: CaseStatusChanged) -> None:
    if not partners.subscribers("case_status"):
        return
    case = Case.objects.select_related("court").get(pk=event.case_id)
    citizens = _citizens(case)
    if not citizens:
        return  # the portal shows a case to its citizens; a case without one is none of its business
    from torelik.core import clock

    outbox.publish(
        "case_status",
        CaseStatusV1(
            case_number=case.number,
            court=court_ref(case),
            from_status=event.from_status,
            to_status=event.to_status,
            changed_at=clock.now(),
            participants=citizens,
        ),
        case=case,
    )


def court_ref(case: Case) -> CourtRef:
    court = case.court
    return CourtRef(code=court.code, name_kk=court.name_kk, name_ru=court.name_ru)


def _party(party: Party) -> PartyRef:
    return PartyRef(
        role=party.role,
        name=party.name,
        iin=party.person.iin if party.person is not None else None,
        bin=party.organisation.bin if party.organisation is not None else None,
    )


def _parties(case: Case) -> list[Party]:
    return list(case.parties.select_related("person", "organisation").order_by("id"))


def _citizens(case: Case) -> list[str]:
    return sorted({p.person.iin for p in _parties(case) if p.person is not None})


def _operative(act: Act) -> str:
    version = act.versions.filter(number=act.signed_version or 1).first() or act.versions.order_by("-number").first()
    return version.operative if version is not None else ""


def _writ(entry: CaseEvent) -> None:
    if entry.data.get("type") != WRIT_TYPE:
        return
    document = Document.objects.select_related("file", "case__court").get(public_id=entry.data["id"])
    # The acts context names the writ after its act (acts.actions.issue_writ) and points the act to it
    # just after adding it: the act is found by that name, or as the case's act in force still without one.
    act_id = document.filename.removeprefix("writ-").removesuffix(".pdf")
    act = Act.objects.filter(case=document.case, public_id=act_id).first() if len(act_id) == 36 else None
    if act is None:
        act = (
            Act.objects.filter(case=document.case, status=ActStatus.IN_FORCE, writ__isnull=True)
            .order_by("-in_force_on", "-pk")
            .first()
        )
    if act is None or act.in_force_on is None:
        return
    case = document.case
    parties = _parties(case)
    with open_stored_file(document.file) as handle:
        content = handle.read()
    outbox.publish(
        "writ_in_force",
        WritInForceV1(
            act_id=act.public_id,
            act_kind=act.kind,
            case_number=case.number,
            court=court_ref(case),
            in_force_on=act.in_force_on,
            creditors=[_party(p) for p in parties if p.role in (PartyRole.CLAIMANT, PartyRole.APPLICANT)],
            debtors=[_party(p) for p in parties if p.role == PartyRole.DEFENDANT],
            operative_part=_operative(act),
            writ=Attachment(
                document_id=document.public_id,
                filename=document.filename,
                media_type=document.file.media_type,
                sha256=document.file.sha256,
                content_base64=base64.b64encode(content).decode(),
            ),
        ),
        case=case,
    )


def _sentence(entry: CaseEvent) -> None:
    act = Act.objects.select_related("case__court", "reviews").filter(public_id=entry.data.get("act")).first()
    if act is None or act.in_force_on is None:
        return
    case = act.case
    convicted = [_party(p) for p in _parties(case) if p.role == PartyRole.ACCUSED]
    if act.kind == SENTENCE:
        outbox.publish(
            "sentence_in_force",
            SentenceInForceV1(
                act_id=act.public_id,
                case_number=case.number,
                court=court_ref(case),
                in_force_on=act.in_force_on,
                convicted=convicted,
                operative_part=_operative(act),
                sentence_sha256=act.sha256,
            ),
            case=case,
        )
        review = Act.objects.filter(public_id=entry.data.get("review")).first() if entry.data.get("review") else None
        if review is not None and entry.data.get("outcome") == "changed":
            _changed(review, act, outcome="changed", convicted=convicted)
    elif (
        act.reviews is not None
        and act.reviews.kind == SENTENCE
        and act.outcome in CHANGING
        and act.reviews.status == ActStatus.IN_FORCE  # a sentence already in force, changed in cassation
    ):
        _changed(act, act.reviews, outcome=act.outcome, convicted=convicted)


def _changed(review: Act, sentence: Act, *, outcome: str, convicted: list[PartyRef]) -> None:
    case = sentence.case
    outbox.publish(
        "sentence_changed",
        SentenceChangedV1(
            act_id=review.public_id,
            sentence_act_id=sentence.public_id,
            outcome=outcome,
            case_number=case.number,
            court=court_ref(case),
            in_force_on=review.in_force_on or sentence.in_force_on,
            convicted=convicted,
            operative_part=_operative(review),
        ),
        case=case,
    )


def _hearing(entry: CaseEvent) -> None:
    hearing = (
        Hearing.objects.select_related("case__court", "courtroom").filter(public_id=entry.data.get("hearing")).first()
    )
    if hearing is None:
        return
    case = hearing.case
    citizens = _citizens(case)
    if not citizens:
        return
    outbox.publish(
        "hearing",
        HearingV1(
            hearing_id=hearing.public_id,
            case_number=case.number,
            court=court_ref(case),
            change=HEARING_CHANGES[CaseEventKind(entry.kind)],
            starts_at=hearing.starts_at,
            ends_at=hearing.ends_at,
            courtroom=hearing.courtroom.number,
            reason=str(entry.data.get("reason", "")),
            participants=citizens,
        ),
        case=case,
    )
