"""Demo apostilles: for a few acts in force of the demo court (1916), requests by their parties — two
issued by the court office (sealed PDFs in the public register), one refused, one paid and waiting in
the office's queue, one awaiting payment. A no-op when there are apostille requests already."""

from dataclasses import dataclass

from django.db import transaction

from torelik.acts.models import Act, ActStatus
from torelik.apostille import actions
from torelik.apostille.models import ApostilleRequest, ApostilleStatus, DocumentKind
from torelik.cases.models import Channel, Party
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.identity.models import User

DEMO_COURT = "1916"
COUNTRIES = ("DE", "TR", "KR", "US", "IT")


@dataclass(frozen=True)
class ApostilleSeedSummary:
    requests: int
    issued: int
    numbers: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        return [f"{self.requests} apostille requests, {self.issued} issued: {', '.join(self.numbers)}"]


def seed_demo_apostilles(*, limit: int = 5) -> ApostilleSeedSummary:
    if ApostilleRequest.objects.exists():
        return ApostilleSeedSummary(0, 0)
    clerk = (
        User.objects.filter(positions__court__code=DEMO_COURT, positions__role=StaffRole.CLERK)
        .order_by("username")
        .first()
    )
    if clerk is None:
        return ApostilleSeedSummary(0, 0)
    acts = list(
        Act.objects.filter(status=ActStatus.IN_FORCE, case__court__code=DEMO_COURT, signed_file__isnull=False)
        .select_related("case")
        .order_by("in_force_on", "pk")[: limit * 3]
    )
    made: list[ApostilleRequest] = []
    for act in acts:
        party = Party.objects.filter(case=act.case, person__isnull=False).select_related("person").first()
        if party is None or party.person is None:
            continue
        kind = DocumentKind.WRIT if act.writ_id is not None and len(made) % 2 else DocumentKind.ACT
        with transaction.atomic():
            made.append(
                actions.request_apostille(
                    act=act,
                    document_kind=kind,
                    applicant=party.person,
                    country=COUNTRIES[len(made) % len(COUNTRIES)],
                    channel=Channel.PSC if len(made) == 2 else Channel.JUDICIAL_OFFICE,
                    actor=None,
                )
            )
        if len(made) >= limit:
            break
    numbers: list[str] = []
    waiting = len(made) - 1 if len(made) > 1 else None  # the last one still awaits its payment
    for index, request in enumerate(made):
        if index == waiting:
            continue
        ApostilleRequest.objects.filter(pk=request.pk).update(
            status=ApostilleStatus.QUEUED, paid_at=clock.now(), receipt_number=f"SBX-DEMO-{index + 1:08d}"
        )
        request.refresh_from_db()
        if index < 2:
            issued = actions.issue_apostille(request=request, actor=clerk)
            numbers.append(f"{issued.number} of {issued.issued_on:%Y-%m-%d}")
        elif index == 2:
            actions.refuse_apostille(
                request=request, actor=clerk, reason="Копия акта не соответствует подлиннику в деле."
            )
    return ApostilleSeedSummary(len(made), len(numbers), tuple(numbers))
