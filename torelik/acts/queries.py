"""Reads of the acts context: a case's acts with their chain of review, the judge's queues (to draft,
to sign, not yet served), and an act by its verification token."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from torelik.acts.models import Act, ActService, ActStatus
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
