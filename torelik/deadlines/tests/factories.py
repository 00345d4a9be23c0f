"""Helpers for deadlines tests: moments in the country's time, cases walked through statuses, and
terms with known dates for the dashboards."""

import datetime as dt
import itertools

from torelik.cases.models import Case, Instance
from torelik.core import clock
from torelik.courts.models import CaseCategory, Court, Judge
from torelik.deadlines.actions import count_closed_terms
from torelik.deadlines.models import Responsible, Term, TermRule, TermStatus

_sequence = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """`day` at `hour` in Almaty (UTC+5): what `clock.today()` then answers."""
    return dt.datetime(day.year, day.month, day.day, hour - 5, 0, tzinfo=dt.UTC)


def bare_case(court: Court, category: CaseCategory, judge: Judge | None = None) -> Case:
    """A case row without its registration (so no term opens by itself)."""
    sequence = next(_sequence)
    return Case.objects.create(
        number=f"{court.code}-26-00-2/{sequence}",
        court=court,
        year=2026,
        type_code="2",
        sequence=sequence,
        proceeding_type=category.proceeding_type,
        instance=Instance.FIRST,
        category=category,
        judge=judge,
        registered_at=clock.now(),
    )


def term(
    case: Case,
    *,
    due: dt.date,
    status: str = TermStatus.RUNNING,
    rule: str = "civil-preparation",
    responsible: str = Responsible.JUDGE,
) -> Term:
    made = Term.objects.create(
        case=case,
        rule=TermRule.objects.get(code=rule),
        court=case.court,
        judge=case.judge,
        responsible=responsible,
        status=status,
        started_by="accepted",
        event_date=due - dt.timedelta(days=20),
        amount=15,
        unit="working_days",
        due_date=due,
        original_due_date=due,
        opened_at=clock.now(),
    )
    count_closed_terms([made])  # what `apply_trigger` does when it closes a term
    return made


def decision_announced(case: Case, day: dt.date) -> None:
    """What the acts context records when a civil decision is announced (signed that day): the act's
    event, with the appeal term it computed from the decision in final form (ADR 0069)."""
    from torelik.cases.actions import record_case_event  # noqa: PLC0415
    from torelik.cases.models import CaseEventKind  # noqa: PLC0415

    with clock.frozen_at(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)):
        record_case_event(
            case=case,
            kind=CaseEventKind.ACT_ANNOUNCED,
            actor=None,
            data={
                "kind": "civil-decision",
                "announced_on": day.isoformat(),
                "review": "appeal",
                "appeal_term": {"rule": "civil-decision", "from": "final_form", "event_date": day.isoformat()},
            },
        )
