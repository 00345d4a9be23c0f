"""Seeding: the planned cases registered and walked through their lives by the case-file actions,
each step with the clock frozen at its moment; the PDFs drawn alongside in a helper process."""

import datetime as dt
import io
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from torelik.cases.actions import (
    DocumentInput,
    add_document,
    change_status,
    correct_document,
    link_cases,
    record_assignment,
    register_case,
)
from torelik.cases.demo.documents import PdfText, render_pdf
from torelik.cases.demo.offices import load_desks
from torelik.cases.demo.plans import HISTORY_DAYS, Do, Doc, Plan, Planner, predict_numbers
from torelik.cases.models import (
    Case,
    CaseLinkKind,
    CaseStatus,
    Channel,
    Document,
    Instance,
    Party,
)
from torelik.cases.statuses import is_system_only
from torelik.core import clock
from torelik.courts.demo import DEMO_SEED
from torelik.courts.models import Judge, ProceedingType
from torelik.identity.models import Organisation, Person

S = CaseStatus
P = ProceedingType

# Some forty seconds of seeding on first `make run`: every case goes through the real actions, its
# draw and its terms (some 200 queries a case). The volume of a real court day is written in bulk
# after them (torelik.demo.court_day, ADR 0108).
DEMO_CASE_COUNT = 800
# The protocol `record_assignment` keeps for a demo assignment: not a draw, and it says so.
PLACEHOLDER_ASSIGNMENT: Mapping[str, str] = {
    "method": "demo-placeholder",
    "note": "replaced by the verifiable draw of the distribution issue",
}


class DemoDistribution(Protocol):
    """How demo cases get their judge: the distribution context's real draw, given by the demo
    command (a higher layer); without it, the planned judge is recorded as a placeholder."""

    def committed(self, case: Case) -> None:
        """Right after registration (clock frozen just after it): freeze the inputs."""

    def assigned(self, case: Case) -> Judge | None:
        """At the planned moment of assignment: draw and assign; the judge drawn."""


# Below this many PDFs a helper process costs more than it saves.
_HELPER_PROCESS_FROM = 300
_LOOKAHEAD = 64


def _rendered(texts: Sequence[PdfText], processes: int) -> Generator[bytes, None, None]:
    """The PDFs of `texts` in order. With `processes`, helper processes draw them while this one
    writes to the database (on two cores that hides their cost); a few dozen wait drawn ahead."""
    if processes < 1 or len(texts) < _HELPER_PROCESS_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(render_pdf, texts)
        return
    # fork: the helpers need nothing but this module; they never touch the database connection and
    # leave through os._exit, so they cannot disturb it.
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        queue = iter(texts)
        pending: deque[AsyncResult[bytes]] = deque(
            pool.apply_async(render_pdf, (t,)) for t in islice(queue, _LOOKAHEAD)
        )
        while pending:
            content = pending.popleft().get()
            pending.extend(pool.apply_async(render_pdf, (t,)) for t in islice(queue, 1))
            yield content


@dataclass(frozen=True)
class CaseSeedSummary:
    cases: int = 0
    documents: int = 0
    parties: int = 0
    courts: int = 0
    seconds: float = 0.0
    by_status: Mapping[str, int] = field(default_factory=dict)
    by_type: Mapping[str, int] = field(default_factory=dict)
    by_instance: Mapping[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        def counts(found: Mapping[str, int], order: Sequence[str]) -> str:
            return ", ".join(f"{key} {found[key]:,}" for key in order if key in found)

        return [
            f"{self.cases:,} cases in {self.courts} courts, {self.documents:,} documents, {self.parties:,} parties, "
            f"registered in {self.seconds:.1f} s",
            f"  by status: {counts(self.by_status, S.values)}",
            f"  by proceeding type: {counts(self.by_type, P.values)}",
            f"  by instance: {counts(self.by_instance, Instance.values)}",
        ]


class _Runner:
    """Registers the planned cases and walks each through its steps, with the clock frozen at
    every step."""

    def __init__(self, plans: Sequence[Plan], distribution: DemoDistribution | None = None) -> None:
        self.plans = plans
        self.distribution = distribution
        self.predicted = {plan.key: plan.number for plan in plans}
        self.numbers: dict[int, str] = {}
        self.cases: dict[int, Case] = {}

    def run(self, processes: int) -> list[Case]:
        documents = [doc for plan in self.plans for doc in plan.documents()]
        texts = [doc.text(self.predicted) for doc in documents]
        with closing(_rendered(texts, processes)) as pdfs:
            for plan in self.plans:
                self._run(plan, pdfs)
        return list(self.cases.values())

    def _input(self, doc: Doc, pdfs: Iterator[bytes]) -> DocumentInput:
        content = next(pdfs)
        if any(self.numbers[key] != self.predicted[key] for key in doc.refs):
            content = render_pdf(doc.text(self.numbers))  # someone else registered a case meanwhile
        return DocumentInput(
            document_type=doc.type,
            title=doc.title,
            filename=doc.filename,
            content=io.BytesIO(content),
            dated=doc.dated,
            author_party=doc.author,
        )

    def _run(self, plan: Plan, pdfs: Iterator[bytes]) -> None:
        registrar = plan.desk.registrar
        filings = [self._input(doc, pdfs) for doc in plan.filings]
        with clock.frozen_at(plan.registered_at):
            case = register_case(
                court=plan.desk.court,
                proceeding_type=plan.story.proceeding_type,
                category_code=plan.story.category.code,
                parties=plan.parties,
                documents=filings,
                actor=registrar,
                channel=plan.channel,
                instance=plan.instance,
                subject=plan.subject,
                claim_amount=plan.story.amount,
                consent_sms=plan.channel == Channel.PAPER,
            )
        self.numbers[plan.key], self.cases[plan.key] = case.number, case
        if self.distribution is not None:
            with clock.frozen_at(plan.registered_at + dt.timedelta(seconds=1)):
                self.distribution.committed(case)
        accounts = {seat.judge.pk: seat.account for seat in plan.desk.seats if seat.account is not None}
        drawn: Judge | None = None
        parties: list[Party] = []
        last: Document | None = None
        for step in plan.steps:
            if self.distribution is not None:
                judge = accounts.get(drawn.pk) if drawn is not None else None
            else:
                judge = plan.seat.account if plan.seat is not None else None
            # A judicial step is the judge's (the system's where the judge has no account in the demo);
            # a move the law leaves to the system (a draw, entry into force) has no actor.
            actor = (judge if judge is not None else None) if step.judicial else registrar
            if step.do == Do.ASSIGN or (step.do == Do.STATUS and is_system_only(case.status, step.status)):
                actor = None
            with clock.frozen_at(step.at):
                if step.do == Do.ASSIGN and self.distribution is not None:
                    drawn = self.distribution.assigned(case)
                    if drawn is None:
                        return  # no eligible judge: the case waits, as a real one would
                elif step.do == Do.ASSIGN and plan.seat is not None:
                    record_assignment(case=case, judge=plan.seat.judge, actor=actor, data=dict(PLACEHOLDER_ASSIGNMENT))
                elif step.do == Do.STATUS:
                    change_status(case=case, to=step.status, actor=actor, reason=step.reason)
                elif step.do == Do.DOCUMENT and step.doc is not None:
                    if step.doc.author is not None and not parties:
                        parties = list(case.parties.order_by("pk"))
                    author = parties[step.doc.author] if step.doc.author is not None else None
                    last = add_document(case=case, document=self._input(step.doc, pdfs), actor=actor, author=author)
                elif step.do == Do.CORRECT and step.doc is not None:
                    target = last if step.corrects_last else case.documents.order_by("pk").first()
                    if target is None:
                        raise RuntimeError(f"nothing to correct in {case.number}")
                    correction = self._input(step.doc, pdfs)
                    last = correct_document(document=target, correction=correction, actor=actor, reason=step.reason)
                elif step.do == Do.LINK and step.link_to is not None:
                    link_cases(
                        from_case=case, to_case=self.cases[step.link_to], kind=CaseLinkKind.APPEAL_OF, actor=actor
                    )


def demo_cases_exist() -> bool:
    """Whether there are cases here already (demo or not, none are added then; one query)."""
    return Case.objects.exists()


def _start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(clock.today(), dt.time()))


def seed_demo_cases(
    *,
    count: int = DEMO_CASE_COUNT,
    seed: int = DEMO_SEED,
    until: dt.datetime | None = None,
    processes: int | None = None,
    distribution: DemoDistribution | None = None,
) -> CaseSeedSummary:
    """Register about `count` demo cases (first instance, and the appeals and cassation petitions
    some of them led to) over the year before `until` (default: the start of today), unless demo
    cases are there already. `processes` helper processes draw the PDFs (default: one when the
    machine has a second core)."""
    started = time.monotonic()
    if count < 1 or demo_cases_exist():
        return CaseSeedSummary(seconds=time.monotonic() - started)
    until = until or _start_of_today()
    if processes is None:
        processes = 1 if (os.cpu_count() or 1) > 1 else 0
    with transaction.atomic():
        taken = set(Person.objects.values_list("iin", flat=True)) | set(
            Organisation.objects.values_list("bin", flat=True)
        )
        desks = load_desks(
            first_day=timezone.localdate(until) - dt.timedelta(days=HISTORY_DAYS + 7),
            last_day=timezone.localdate(until),
        )
        plans = Planner(seed=seed, desks=desks, until=until, taken=taken).plan(count)
        predict_numbers(plans)
        cases = _Runner(plans, distribution).run(processes)
    return CaseSeedSummary(
        cases=len(cases),
        documents=sum(len(plan.documents()) for plan in plans),
        parties=sum(len(plan.roles) for plan in plans),
        courts=len({case.court_id for case in cases}),
        seconds=time.monotonic() - started,
        # From the database: a draw completed after the plan's last step moves a case on.
        by_status=Counter(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)),
        by_type=Counter(case.proceeding_type for case in cases),
        by_instance=Counter(case.instance for case in cases),
    )
