"""The appeal at the first court: lodged at the office or through the Judicial Office, answered by the
other parties within the term for responses, then sent to the higher court by the clerk (ADR 0068)."""

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torelik.acts.access import may_register_appeal, may_send_appeal
from torelik.acts.actions import record_appeal
from torelik.acts.errors import ActConflictError, ActError, ActErrorCode, ActForbiddenError
from torelik.acts.kinds import responses_term
from torelik.acts.models import (
    Act,
    ActStatus,
    Appeal,
    AppealStatus,
)
from torelik.cases.actions import (
    DocumentInput,
    PartyInput,
    change_status,
    link_cases,
    record_case_event,
    register_case,
)
from torelik.cases.models import (
    REPRESENTING_ROLES,
    Case,
    CaseEventKind,
    CaseLinkKind,
    CaseStatus,
    Channel,
    Document,
    Instance,
    Party,
    PartyRole,
)
from torelik.cases.statuses import can_move
from torelik.core import clock
from torelik.courts.models import Court
from torelik.deadlines.working_calendar import working_calendar
from torelik.identity.models import User


def register_appeal_at_office(*, act: Act, actor: User, filed_on: dt.date, restore_term: bool) -> Act:
    """An appeal brought on paper to the court office of the court that made the act."""
    if not may_register_appeal(actor, act.case):
        raise ActForbiddenError(ActErrorCode.NOT_DRAFTER, _("Only the court office registers appeals."))
    if filed_on > clock.today():
        raise ActError(
            ActErrorCode.APPEAL_LATE,
            _("An appeal cannot be filed on a day still to come."),
            fields={"filed_on": [str(_("Give the day the appeal was brought."))]},
        )
    return record_appeal(act=act, actor=actor, filed_on=filed_on, restore_term=restore_term)


# --- Appeals lodged at the first-instance court and sent to the higher court (ADR 0068) ---


def _appellant_party(case: Case, iin: str) -> Party | None:
    if not iin:
        return None
    return case.parties.exclude(role__in=REPRESENTING_ROLES).filter(person__iin=iin).first()


@transaction.atomic
def lodge_appeal(
    *, lower_case: Case, higher_court: Court, appellant_iin: str, document: Document | None, actor: User | None
) -> Appeal:
    """An appeal filed (through the Judicial Office or at the office) with the court that made the
    act: attached to the act it attacks (in time it holds the act back; late, it is recorded with its
    motion to restore the term), and kept here while the other parties may respond. The case goes to
    the higher court only by `send_appeal`, once the term for responses and the appeal term have run."""
    today = clock.today()
    act = Act.objects.filter(case=lower_case, status=ActStatus.ANNOUNCED).order_by("-announced_on", "-pk").first()
    late = False
    if act is not None:
        late = act.appeal_term_end is not None and today > act.appeal_term_end
        act = record_appeal(act=act, actor=actor, filed_on=today, restore_term=late)
    term = responses_term()
    responses_until = working_calendar().add(today, term.amount, term.unit, explain=False).end
    ready_on = responses_until + dt.timedelta(days=1)
    if act is not None and act.appeal_term_end is not None:
        # Another party may still appeal: the case goes up once the appeal term has run as well.
        ready_on = max(ready_on, act.appeal_term_end + dt.timedelta(days=1))
    basis = {
        "legal_basis": term.legal_basis,
        "term": term.amount,
        "unit": term.unit,
        "from": term.counted_from,
        "event_date": today.isoformat(),
        "responses_until": responses_until.isoformat(),
        "appeal_term_end": act.appeal_term_end.isoformat() if act is not None and act.appeal_term_end else None,
        "ready_on": ready_on.isoformat(),
        "verify": term.verify,
    }
    appeal = Appeal.objects.create(
        act=act,
        case=lower_case,
        higher_court=higher_court,
        appellant=_appellant_party(lower_case, appellant_iin),
        appellant_iin=appellant_iin,
        document=document,
        filed_on=today,
        late=late,
        responses_until=responses_until,
        ready_on=ready_on,
        term_basis=basis,
    )
    if act is None and can_move(lower_case.status, CaseStatus.APPEALED):
        change_status(case=lower_case, to=CaseStatus.APPEALED, actor=None, reason="appeal filed")
    return appeal


def responses_to(appeal: Appeal) -> list[Document]:
    """The responses to the appeal filed in the lower case since it was lodged."""
    return list(
        Document.objects.filter(
            case_id=appeal.case_id,
            document_type__code="appeal_response",
            received_at__gte=timezone.make_aware(dt.datetime.combine(appeal.filed_on, dt.time.min)),
        ).order_by("received_at")
    )


def _appeal_parties(case: Case, appellant_iin: str) -> list[PartyInput]:
    """The parties of the case at the higher court: the appellant, the other side as respondents
    (the claimant or applicant when a defendant appeals), the rest as third parties."""
    rows: list[PartyInput] = []
    others: list[PartyInput] = []
    for party in case.parties.select_related("person", "organisation").exclude(role__in=REPRESENTING_ROLES):
        is_appellant = party.person is not None and str(party.person.iin) == appellant_iin
        if is_appellant:
            role = PartyRole.APPLICANT
        elif party.role in (PartyRole.CLAIMANT, PartyRole.APPLICANT, PartyRole.DEFENDANT):
            role = PartyRole.DEFENDANT
        else:
            role = PartyRole.THIRD_PARTY
        if party.person is not None:
            row = PartyInput(
                role=role,
                iin=str(party.person.iin),
                surname=party.person.surname,
                given_name=party.person.given_name,
                patronymic=party.person.patronymic,
                phone=party.phone,
                email=party.email,
                preferred_language=party.preferred_language,
            )
        elif party.organisation is not None:
            row = PartyInput(
                role=role,
                bin=str(party.organisation.bin),
                organisation_name=party.organisation.name,
                phone=party.phone,
                email=party.email,
                preferred_language=party.preferred_language,
            )
        else:
            continue
        (rows if is_appellant else others).append(row)
    if not rows and others:
        # The appellant is not a party on record (a prosecutor, a person not yet joined): the first
        # party brings the appeal as far as the record goes.
        first = others.pop(0)
        rows.append(dataclasses.replace(first, role=PartyRole.APPLICANT))
    return [*rows, *others]


def send_appeal(*, appeal: Appeal, actor: User) -> Appeal:
    """The first-instance court sends the case to the higher court, once the term for responses and
    the appeal term have run: a linked case there (its own number in that court's series, the appeal
    instance, and a judge drawn by the same distribution), carrying every document of the case file
    (the appeal and the responses among them). Refused before the term, or twice."""
    lower = appeal.case
    if not may_send_appeal(actor, lower):
        raise ActForbiddenError(
            ActErrorCode.NOT_THE_OFFICE, _("Only the court that made the act sends the case to the higher court.")
        )
    with transaction.atomic():
        locked = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("case__category", "higher_court")
            .get(pk=appeal.pk)
        )
        if locked.status == AppealStatus.SENT:
            raise ActConflictError(ActErrorCode.APPEAL_SENT, _("The case is already sent to the higher court."))
        if clock.today() < locked.ready_on:
            raise ActError(
                ActErrorCode.APPEAL_NOT_READY,
                _("The parties may respond to the appeal until %(day)s: the case is sent from %(ready)s."),
                params={
                    "day": locked.responses_until.strftime("%d.%m.%Y"),
                    "ready": locked.ready_on.strftime("%d.%m.%Y"),
                },
            )
        lower = locked.case
        documents = [
            DocumentInput(
                document_type=document.document_type.code,
                title=document.title,
                filename=document.filename or f"{document.public_id}.pdf",
                content=document.file,
                page_count=document.page_count or 1,
                dated=document.dated,
            )
            for document in lower.documents.select_related("document_type", "file").order_by("received_at", "pk")
        ]
        appeal_case = register_case(
            court=locked.higher_court,
            proceeding_type=lower.proceeding_type,
            category_code=lower.category.code,
            parties=_appeal_parties(lower, locked.appellant_iin),
            documents=documents,
            actor=actor,
            channel=Channel.LOWER_COURT,
            instance=Instance.APPEAL,
            subject=lower.subject,
            claim_amount=lower.claim_amount,
        )
        link_cases(from_case=appeal_case, to_case=lower, kind=CaseLinkKind.APPEAL_OF, actor=actor)
        responses = responses_to(locked)
        data = {
            "appeal_case": appeal_case.number,
            "court": locked.higher_court.code,
            "documents": len(documents),
            "responses": len(responses),
            "responses_until": locked.responses_until.isoformat(),
        }
        record_case_event(case=lower, kind=CaseEventKind.CASE_SENT_ON_APPEAL, actor=actor, data=data)
        record_case_event(
            case=appeal_case,
            kind=CaseEventKind.ACT_APPEALED,
            actor=actor,
            data={
                "act": str(locked.act.public_id) if locked.act is not None else None,
                "lower_case": lower.number,
                "filed_on": locked.filed_on.isoformat(),
                "late": locked.late,
                "restore_term": locked.late,
                "responses": len(responses),
            },
        )
        locked.status, locked.appeal_case, locked.sent_at, locked.sent_by = (
            AppealStatus.SENT,
            appeal_case,
            clock.now(),
            actor,
        )
        locked.save(update_fields=["status", "appeal_case", "sent_at", "sent_by", "updated_at"])
    return locked
