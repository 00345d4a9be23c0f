"""Reads of the acts context: a case's acts with their chain of review, the judge's queues (to draft,
to sign, not yet served), and an act by its verification token."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from torelik.acts.models import Act, ActService, ActStatus, Appeal, AppealStatus
from torelik.cases.models import REPRESENTING_ROLES, Case, CaseStatus, Party
from torelik.courts.models import Judge


def acts_of(case: Case) -> QuerySet[Act]:
    return (
        Act.objects.filter(case=case)
        .select_related("reviews__case")
        .prefetch_related("reviewed_by__case")
        .order_by("created_at")
    )


def act_by_token(token: str) -> Act | None:
    if not token or len(token) > 64:
        return None
    return Act.objects.select_related("case__court").filter(verify_token=token).exclude(signed_file=None).first()


def chain_of(act: Act) -> list[Act]:
    """The act, the acts it reviews (down) and the acts that review it (up), lowest instance first."""
    down: list[Act] = []
    current = act.reviews
    while current is not None and len(down) < 5:
        down.append(current)
        current = current.reviews
    up: list[Act] = []
    above = Act.objects.filter(reviews=act).select_related("case").first()
    while above is not None and len(up) < 5:
        up.append(above)
        above = Act.objects.filter(reviews=above).select_related("case").first()
    return [*reversed(down), act, *up]


@dataclass(frozen=True)
class Docket:
    to_draft: list[Case]
    to_sign: list[Act]
    not_served: list[Act]


def docket_of(judge: Judge, *, limit: int = 50) -> Docket:
    """The judge's act queues: heard cases with no act yet, drafts waiting for the signature, and
    announced acts that some party has not received."""
    to_draft = list(
        Case.objects.filter(judge=judge, status=CaseStatus.HEARD)
        .exclude(Exists(Act.objects.filter(case=OuterRef("pk"))))
        .order_by("registered_at")[:limit]
    )
    to_sign = list(
        Act.objects.filter(case__judge=judge, status=ActStatus.DRAFT)
        .select_related("case")
        .order_by("created_at")[:limit]
    )
    unserved_party = (
        Party.objects.filter(case=OuterRef("case"))
        .exclude(role__in=REPRESENTING_ROLES)
        .exclude(Exists(ActService.objects.filter(act=OuterRef(OuterRef("pk")), party=OuterRef("pk"))))
    )
    not_served = list(
        Act.objects.filter(case__judge=judge, status=ActStatus.ANNOUNCED)
        .filter(Exists(unserved_party))
        .select_related("case")
        .order_by("announced_on")[:limit]
    )
    return Docket(to_draft=to_draft, to_sign=to_sign, not_served=not_served)


def announced_acts_of(case: Case) -> list[Act]:
    """The acts a party sees in the Judicial Office: announced ones (a draft or an act signed but not
    announced is the court's own), each with `kind_name` in the active language."""
    from torelik.acts.kinds import kind_of

    acts = list(Act.objects.filter(case=case, announced_on__isnull=False).order_by("announced_on", "created_at"))
    for act in acts:
        kind = kind_of(act.kind)
        act.kind_name = kind.name if kind is not None else act.kind  # type: ignore[attr-defined]
    return acts


@dataclass(frozen=True)
class JudgeActs:
    judge: Judge
    signed: int
    late: int


def late_acts_of_court(court_id: int) -> list[JudgeActs]:
    """Per judge of the court, the acts that end a case signed, and those signed after the term for
    the reasoned act counted from the day the case was heard (`kinds.final_form_term`)."""
    from django.utils import timezone

    from torelik.acts.kinds import final_form_term, kind_of
    from torelik.cases.models import CaseEvent, CaseEventKind
    from torelik.deadlines.working_calendar import working_calendar

    term = final_form_term()
    calendar = working_calendar()
    acts = list(
        Act.objects.filter(case__court_id=court_id, signed_at__isnull=False, case__judge__isnull=False)
        .select_related("case__judge__person")
        .order_by("case__judge_id")
    )
    heard: dict[int, dt.date] = {}
    for event in CaseEvent.objects.filter(
        case_id__in=[a.case_id for a in acts], kind=CaseEventKind.STATUS_CHANGED, data__to=CaseStatus.HEARD
    ).order_by("id"):
        heard[event.case_id] = timezone.localdate(event.occurred_at)
    rows: dict[int, JudgeActs] = {}
    for act in acts:
        kind = kind_of(act.kind)
        judge = act.case.judge
        if kind is None or not kind.ends_case or judge is None or act.signed_at is None:
            continue
        row = rows.get(judge.pk, JudgeActs(judge, 0, 0))
        day = heard.get(act.case_id)
        late = day is not None and timezone.localdate(act.signed_at) > calendar.add(day, term.amount, term.unit).end
        rows[judge.pk] = JudgeActs(judge, row.signed + 1, row.late + int(late))
    return sorted(rows.values(), key=lambda r: (-r.late, r.judge.person.surname))


def appeal_open_for_responses(case: Case, today: dt.date) -> Appeal | None:
    """The appeal lodged in `case` that the other parties may still respond to on `today`."""
    return (
        Appeal.objects.filter(case=case, status=AppealStatus.AWAITING_RESPONSES, responses_until__gte=today)
        .order_by("responses_until")
        .first()
    )


def appeals_of(case: Case) -> QuerySet[Appeal]:
    return Appeal.objects.filter(case=case).select_related("higher_court", "appeal_case", "act").order_by("created_at")


@dataclass(frozen=True)
class AppealQueue:
    awaiting: list[Appeal]
    ready: list[Appeal]
    sent: list[Appeal]


def appeal_queue(court_ids: list[int], today: dt.date, *, limit: int = 100) -> AppealQueue:
    """The first-instance courts' appeals: those whose term for responses still runs, those ready to
    be sent to the higher court, and the latest sent."""
    rows = Appeal.objects.filter(case__court_id__in=court_ids).select_related(
        "case", "higher_court", "appeal_case", "act", "appellant__person", "appellant__organisation"
    )
    waiting = rows.filter(status=AppealStatus.AWAITING_RESPONSES)
    return AppealQueue(
        awaiting=list(waiting.filter(ready_on__gt=today).order_by("ready_on", "pk")[:limit]),
        ready=list(waiting.filter(ready_on__lte=today).order_by("ready_on", "pk")[:limit]),
        sent=list(rows.filter(status=AppealStatus.SENT).order_by("-sent_at", "-pk")[:20]),
    )


@dataclass(frozen=True)
class PartyAppeal:
    """An appeal in a case as a party sees it in the Judicial Office: whose it is, until when the others
    may respond, and where it stands (`state`: awaiting the term for responses, ready to be sent to the
    higher court, or sent there with the case's number at that court)."""

    appeal: Appeal
    mine: bool
    state: str
    responses_open: bool


def appeals_for_party(case: Case, iin: str, today: dt.date) -> list[PartyAppeal]:
    rows = Appeal.objects.filter(case=case).select_related(
        "higher_court", "appeal_case", "act", "appellant__person", "appellant__organisation"
    )
    result = []
    for appeal in rows.order_by("filed_on", "pk"):
        state = "ready" if appeal.ready_on <= today else "awaiting"
        if appeal.status == AppealStatus.SENT:
            state = "sent"
        result.append(
            PartyAppeal(
                appeal=appeal,
                mine=bool(iin) and appeal.appellant_iin == iin,
                state=state,
                responses_open=state == "awaiting" and appeal.responses_until >= today,
            )
        )
    return result
