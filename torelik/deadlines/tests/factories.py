"""Helpers for deadlines tests: moments in the country's time, cases walked through statuses, and
terms with known dates for the dashboards."""

import datetime as dt
import itertools

from torelik.cases.models import Case, Instance
from torelik.core import clock
from torelik.courts.models import CaseCategory, Court, Judge
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
    return Term.objects.create(
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
