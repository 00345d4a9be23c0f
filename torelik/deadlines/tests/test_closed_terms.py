"""The closed terms' kept counts (ADR 0115): the actions move them in the closing transaction, every
dashboard reads them, and `recount-terms` proves they agree with the terms or puts the recount in place."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from torelik.cases.actions import change_status, register_case
from torelik.cases.models import Case, CaseStatus
from torelik.cases.tests.factories import CourtOffice, claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import Court, ProceedingType
from torelik.deadlines import queries
from torelik.deadlines.actions import recount_closed_terms
from torelik.deadlines.models import ClosedTerms, Term, TermStatus
from torelik.deadlines.tests.factories import at

pytestmark = pytest.mark.django_db
D = dt.date


def _walk(office: CourtOffice, accepted_on: dt.date) -> Case:
    """A civil claim registered on 20 March 2026, accepted on `accepted_on`, prepared and decided."""
    with clock.frozen_at(at(D(2026, 3, 20))):
        case = register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )
    steps = [(CaseStatus.ASSIGNED, D(2026, 3, 20)), (CaseStatus.ACCEPTED, accepted_on)]
    steps += [(CaseStatus.SCHEDULED, accepted_on + dt.timedelta(days=5))]
    for to, day in steps:
        with clock.frozen_at(at(day)):
            change_status(case=case, to=to, actor=None if to == CaseStatus.ASSIGNED else office.judge_user)
    return case


def _closed_in_terms(court: Court) -> tuple[int, int]:
    terms = queries.controlled_terms().filter(court=court)
    return terms.filter(status=TermStatus.MET).count(), terms.filter(status=TermStatus.MISSED).count()


def test_closing_terms_counts_them_and_every_dashboard_reads_the_counts() -> None:
    office = court_office("0215")
    # ГПК РК art. 149: a claim is accepted within 5 working days; 26 March is in time, 30 April is late.
    _walk(office, D(2026, 3, 26))
    _walk(office, D(2026, 4, 30))
    met, missed = _closed_in_terms(office.court)
    assert met >= 1  # the walk closed terms both ways
    assert missed >= 1
    kept = {r.status: r.count for r in ClosedTerms.objects.filter(court=office.court)}
    assert (kept.get(TermStatus.MET, 0), kept.get(TermStatus.MISSED, 0)) == (met, missed)
    assert recount_closed_terms(replace=False).disagreed == []
    today = D(2026, 5, 6)
    (line,) = [r for r in queries.national(today)[1] if r.key == "0215"]
    assert (line.counts.met, line.counts.missed) == (met, missed)
    by_judge = queries.per_judge(office.court, today)
    assert (sum(r.counts.met for r in by_judge), sum(r.counts.missed for r in by_judge)) == (met, missed)
    running = queries.controlled_terms().filter(court=office.court, status=TermStatus.RUNNING).count()
    assert sum(r.counts.running for r in by_judge) == running


def test_the_recount_finds_a_count_that_drifted_and_puts_the_terms_count_back() -> None:
    office = court_office("0215")
    _walk(office, D(2026, 3, 26))
    met, _missed = _closed_in_terms(office.court)
    ClosedTerms.objects.filter(court=office.court, status=TermStatus.MET).update(count=met + 7)
    with pytest.raises(CommandError, match="disagree"):
        call_command("recount-terms")
    call_command("recount-terms", "--replace")
    assert ClosedTerms.objects.get(court=office.court, status=TermStatus.MET).count == met
    call_command("recount-terms")  # agrees now: no error
    assert Term.objects.filter(court=office.court, status=TermStatus.MET).count() >= met
