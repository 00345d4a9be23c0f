"""Terms opened, closed, paused, resumed, extended and recomputed through the case file's events,
against dates worked out by hand."""

import datetime as dt
import json

import pytest

from torelik.archive.models import PendingEntry
from torelik.cases.actions import change_status, record_assignment, register_case
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from torelik.cases.tests.factories import CourtOffice, claim_document, claimant_and_defendant, court_office, staff_user
from torelik.core import clock
from torelik.courts.models import Judge, ProceedingType, StaffRole
from torelik.courts.tests.factories import JudgeFactory
from torelik.deadlines.actions import (
    declare_calendar_day,
    extend_term,
    follow_judge,
    issue_term_warnings,
    remove_calendar_day,
)
from torelik.deadlines.errors import DeadlinesError, TermNotFoundError
from torelik.deadlines.models import OPEN_STATUSES, DayKind, Term, TermStatus, TermUnit, TermWarning, WarningKind
from torelik.deadlines.tests.factories import at, decision_announced
from torelik.deadlines.working_calendar import compute_due, working_calendar

# A real government decree on transfers of days off (pm.kz, 6 October 2021), used as an example act.
DECREE = (
    "Постановление Правительства Республики Казахстан от 6 октября 2021 года № 713 «О переносе дней отдыха в 2022 году»"
)

pytestmark = pytest.mark.django_db
D = dt.date


def _register(office: CourtOffice, day: D) -> Case:
    with clock.frozen_at(at(day)):
        return register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )


def _move(case: Case, to: str, day: D, office: CourtOffice) -> None:
    with clock.frozen_at(at(day)):
        # The office registers an appeal; the judge makes the other moves (statuses.MOVES).
        actor = office.clerk if to == CaseStatus.APPEALED else office.judge_user
        change_status(case=case, to=to, actor=None if to == CaseStatus.ASSIGNED else actor)


def _assign(case: Case, judge: Judge, day: D) -> None:
    with clock.frozen_at(at(day)):
        record_assignment(case=case, judge=judge, actor=None, data={"method": "test"})


def _term(case: Case, rule: str) -> Term:
    return Term.objects.get(case=case, rule__code=rule)


def test_registration_opens_the_acceptance_term_across_nauryz() -> None:
    office = court_office("0215")
    case = _register(office, D(2026, 3, 20))
    acceptance = _term(case, "civil-acceptance")
    assert acceptance.status == TermStatus.RUNNING
    assert acceptance.event_date == D(2026, 3, 20)
    assert acceptance.due_date == D(2026, 4, 1)
    assert acceptance.judge is None
    opened = CaseEvent.objects.get(case=case, kind=CaseEventKind.TERM_OPENED)
    assert opened.data["terms"][0]["rule"] == "civil-acceptance"
    assert opened.data["terms"][0]["due"] == "2026-04-01"


def test_only_the_open_terms_follow_the_judge_of_the_case() -> None:
    office = court_office("0215")
    first, second = JudgeFactory.create(court=office.court), JudgeFactory.create(court=office.court)
    case = _register(office, D(2026, 3, 20))
    _assign(case, first, D(2026, 3, 20))
    _move(case, CaseStatus.ACCEPTED, D(2026, 3, 27), office)  # acceptance met; preparation opened
    Case.objects.filter(pk=case.pk).update(judge=second)
    open_terms = Term.objects.filter(case=case, status__in=OPEN_STATUSES).count()
    assert open_terms >= 1
    assert follow_judge(case_id=case.pk) == open_terms
    assert _term(case, "civil-acceptance").judge == first
    assert _term(case, "civil-preparation").judge == second


def test_a_case_walks_its_terms_from_acceptance_to_appeal() -> None:
    office = court_office("0215")
    judge = JudgeFactory.create(court=office.court)
    case = _register(office, D(2026, 3, 20))
    _assign(case, judge, D(2026, 3, 20))
    assert _term(case, "civil-acceptance").judge == judge

    # Accepted on Friday 27 March: acceptance met; 15 working days of preparation from Monday
    # 30 March: 30, 31 March, 1–3, 6–10, 13–17 April -> 17 April.
    _move(case, CaseStatus.ACCEPTED, D(2026, 3, 27), office)
    assert _term(case, "civil-acceptance").status == TermStatus.MET
    preparation = _term(case, "civil-preparation")
    assert (preparation.status, preparation.due_date, preparation.judge) == (TermStatus.RUNNING, D(2026, 4, 17), judge)

    # Suspended on Wednesday 8 April: 7 working days remain (9, 10, 13–17 April). Resumed on
    # Monday 4 May: 4, 5, 6, 8 (7 May is Defender's Day), 12 (11 May is Victory Day observed),
    # 13, 14 May -> 14 May.
    _move(case, CaseStatus.IN_PREPARATION, D(2026, 3, 30), office)
    _move(case, CaseStatus.SUSPENDED, D(2026, 4, 8), office)
    preparation.refresh_from_db()
    assert (preparation.status, preparation.paused_on) == (TermStatus.PAUSED, D(2026, 4, 8))
    _move(case, CaseStatus.IN_PREPARATION, D(2026, 5, 4), office)
    preparation.refresh_from_db()
    assert (preparation.status, preparation.due_date) == (TermStatus.RUNNING, D(2026, 5, 14))
    assert preparation.original_due_date == D(2026, 4, 17)
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {CaseEventKind.TERM_PAUSED, CaseEventKind.TERM_RESUMED} <= kinds

    # Hearing scheduled Tuesday 12 May: preparation met; two months of consideration: 12 July
    # 2026 is a Sunday -> Monday 13 July.
    _move(case, CaseStatus.SCHEDULED, D(2026, 5, 12), office)
    assert _term(case, "civil-preparation").status == TermStatus.MET
    assert _term(case, "civil-consideration").due_date == D(2026, 7, 13)

    # Decided on 20 July, a week late: consideration missed. The status opens no appeal term: the
    # decision's own event does (ADR 0069), and the parties' month of appeal runs to Thursday 20 August.
    _move(case, CaseStatus.HEARD, D(2026, 7, 20), office)
    _move(case, CaseStatus.DECIDED, D(2026, 7, 20), office)
    consideration = _term(case, "civil-consideration")
    assert (consideration.status, consideration.closed_on) == (TermStatus.MISSED, D(2026, 7, 20))
    assert not Term.objects.filter(case=case, rule__code="civil-appeal").exists()
    decision_announced(case, D(2026, 7, 20))
    appeal = _term(case, "civil-appeal")
    assert (appeal.responsible, appeal.due_date, appeal.status) == ("party", D(2026, 8, 20), TermStatus.RUNNING)

    _move(case, CaseStatus.APPEALED, D(2026, 8, 10), office)
    assert _term(case, "civil-appeal").status == TermStatus.MET
    assert not Term.objects.filter(case=case, status__in=[TermStatus.RUNNING, TermStatus.PAUSED]).exists()


def test_returning_the_claim_meets_acceptance_and_opens_nothing_else() -> None:
    office = court_office("0215")
    case = _register(office, D(2026, 3, 20))
    _move(case, CaseStatus.ASSIGNED, D(2026, 3, 20), office)
    _move(case, CaseStatus.RETURNED, D(2026, 4, 2), office)  # one day late
    assert _term(case, "civil-acceptance").status == TermStatus.MISSED
    assert Term.objects.filter(case=case).count() == 1


def test_a_judge_extends_the_preparation_by_a_month() -> None:
    office = court_office("0215")
    case = _register(office, D(2026, 3, 20))
    _move(case, CaseStatus.ASSIGNED, D(2026, 3, 20), office)
    _move(case, CaseStatus.ACCEPTED, D(2026, 3, 27), office)
    preparation = _term(case, "civil-preparation")
    assert office.judge_user.person is not None
    own_judge = Judge.objects.create(person=office.judge_user.person, court=office.court)
    Case.objects.filter(pk=case.pk).update(judge=own_judge)
    colleague = staff_user("judge.colleague", office.court, StaffRole.JUDGE)
    with pytest.raises(TermNotFoundError):  # another judge of the court may not extend it
        extend_term(term=preparation, amount=1, unit="months", basis="x", actor=colleague)
    # 17 April + 1 month = Sunday 17 May -> Monday 18 May.
    with clock.frozen_at(at(D(2026, 4, 10))):
        extended = extend_term(
            term=preparation,
            amount=1,
            unit="months",
            basis="Определение о продлении (сложное дело)",
            actor=office.judge_user,
        )
    assert extended.due_date == D(2026, 5, 18)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.TERM_EXTENDED)
    assert (event.data["before"], event.data["due"]) == ("2026-04-17", "2026-05-18")
    with pytest.raises(TermNotFoundError):
        extend_term(term=preparation, amount=1, unit="months", basis="x", actor=office.clerk)
    with pytest.raises(DeadlinesError) as refused:
        extend_term(term=preparation, amount=0, unit="weeks", basis=" ", actor=office.judge_user)
    assert set(refused.value.fields) == {"amount", "unit", "basis"}


def test_a_calendar_change_recomputes_open_terms_and_journals_it() -> None:
    office = court_office("0215")
    case = _register(office, D(2026, 3, 20))
    assert _term(case, "civil-acceptance").due_date == D(2026, 4, 1)
    _row, recomputed = declare_calendar_day(
        day=D(2026, 3, 31),
        kind=DayKind.NON_WORKING,
        name_kk="Демалыс",
        name_ru="Выходной",
        name_en="Day off",
        legal_act=DECREE,
    )
    assert (recomputed.terms, recomputed.cases) == (1, 1)
    acceptance = _term(case, "civil-acceptance")
    assert acceptance.due_date == D(2026, 4, 2)
    assert acceptance.history[-1]["what"] == "recomputed"
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.TERMS_RECOMPUTED)
    assert event.data["terms"][0]["before"] == "2026-04-01"
    remove_calendar_day(day=D(2026, 3, 31))
    assert _term(case, "civil-acceptance").due_date == D(2026, 4, 1)
    # Both changes are entries of the transparency log: a day declared after the fact would show.
    logged = [json.loads(p.body) for p in PendingEntry.objects.filter(subject="calendar_day").order_by("id")]
    assert [(e["day"], e["day_kind"]) for e in logged] == [("2026-03-31", "non_working"), ("2026-03-31", None)]


def test_the_daily_warning_reaches_the_judge_once() -> None:
    office = court_office("0215")
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    case = _register(office, D(2026, 3, 20))
    _assign(case, judge, D(2026, 3, 20))
    summary = issue_term_warnings(today=D(2026, 3, 30))  # due 1 April: within 3 days
    assert (summary.due_soon, summary.missed) == (1, 0)
    assert issue_term_warnings(today=D(2026, 3, 30)).due_soon == 0
    assert issue_term_warnings(today=D(2026, 4, 2)).missed == 1
    assert set(TermWarning.objects.values_list("kind", "user")) == {
        (WarningKind.DUE_SOON, office.judge_user.pk),
        (WarningKind.MISSED, office.judge_user.pk),
    }


def test_warnings_are_listed_for_their_addressee_and_marked_seen() -> None:
    from django.test import Client

    office = court_office("0215")
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    case = _register(office, D(2026, 3, 20))
    _assign(case, judge, D(2026, 3, 20))
    issue_term_warnings(today=D(2026, 3, 30))
    issue_term_warnings(today=D(2026, 4, 2))
    client = Client()
    client.force_login(office.judge_user)
    assert client.get("/en/workspace/").context["term_warnings"] == 2
    page = client.get("/en/deadlines/warnings/")
    assert page.status_code == 200
    assert page.content.decode().count(case.number) >= 2
    assert client.post("/en/deadlines/warnings/").status_code == 302
    assert client.get("/en/workspace/").context["term_warnings"] == 0
    other = Client()
    other.force_login(office.clerk)
    assert other.get("/en/deadlines/warnings/").context["warnings"] == []


# --- A pause of a calendar-day term whose last day had been moved off a weekend -------------------


def _paused_term(unit: str, amount: int, event: dt.date, paused: dt.date, resumed: dt.date) -> Term:
    return Term(
        event_date=event,
        amount=amount,
        unit=unit,
        adjustments=[{"kind": "pause", "from": paused.isoformat(), "to": resumed.isoformat()}],
    )


def test_a_paused_term_carries_over_what_remained_to_its_nominal_end_not_the_days_it_was_moved() -> None:
    calendar = working_calendar()
    # 10 days from Wednesday 7 October 2026 end on Saturday 17 October, moved to Monday 19 October.
    plain = Term(event_date=D(2026, 10, 7), amount=10, unit=TermUnit.DAYS, adjustments=[])
    assert compute_due(calendar, plain) == D(2026, 10, 19)
    # Paused on Thursday 15 October with 2 days left (16 and 17), resumed on Thursday 22 October:
    # the 2 days run on 22 and 23 October, and the term ends on Friday 23 October (not the 4 days
    # to the moved end, which would give Sunday 25 October, Republic Day, moved again).
    term = _paused_term(TermUnit.DAYS, 10, D(2026, 10, 7), D(2026, 10, 15), D(2026, 10, 22))
    assert compute_due(calendar, term) == D(2026, 10, 23)


def test_a_term_paused_on_its_last_days_does_not_end_before_proceedings_resume() -> None:
    calendar = working_calendar()
    # Paused on Sunday 18 October, after the nominal end (Saturday 17) but before the moved end:
    # nothing remained in calendar days, yet the term had not run out, so it ends on the day of resumption.
    term = _paused_term(TermUnit.DAYS, 10, D(2026, 10, 7), D(2026, 10, 18), D(2026, 11, 4))
    assert compute_due(calendar, term) == D(2026, 11, 4)


def test_a_term_paused_on_its_very_last_day_ends_on_the_day_proceedings_resume() -> None:
    # The last day, Monday 19 October, is still a day of the term: paused that day, the term had not
    # run out, and it ends when proceedings resume on Wednesday 4 November.
    term = _paused_term(TermUnit.DAYS, 10, D(2026, 10, 7), D(2026, 10, 19), D(2026, 11, 4))
    assert compute_due(working_calendar(), term) == D(2026, 11, 4)
    # Paused the day after, it had run out: the pause changes nothing.
    term = _paused_term(TermUnit.DAYS, 10, D(2026, 10, 7), D(2026, 10, 20), D(2026, 11, 4))
    assert compute_due(working_calendar(), term) == D(2026, 10, 19)
