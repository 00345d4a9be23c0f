"""When an act enters into force, computed from the law, never typed: the appeal term of the act's
kind (`kinds.py`), counted from the event the kind names (announcement, the act in final form, or its
delivery to the last party), over the working calendar of the deadlines context (a last day that falls
on a day off moves to the next working day). The act is in force from the day after the last day of
the term if no appeal was filed within it."""

import datetime as dt
from dataclasses import dataclass

from torelik.acts.kinds import ActKind, AppealFrom
from torelik.deadlines.working_calendar import WorkingCalendar, working_calendar


@dataclass(frozen=True)
class AppealTerm:
    rule: str  # the act kind's code
    legal_basis: str
    amount: int
    unit: str
    counted_from: str  # AppealFrom value
    event_date: dt.date
    last_day: dt.date

    @property
    def in_force_on(self) -> dt.date:
        return self.last_day + dt.timedelta(days=1)

    def as_dict(self) -> dict[str, str | int]:
        return {
            "rule": self.rule,
            "legal_basis": self.legal_basis,
            "term": self.amount,
            "unit": self.unit,
            "from": self.counted_from,
            "event_date": self.event_date.isoformat(),
            "last_day": self.last_day.isoformat(),
            "in_force_on": self.in_force_on.isoformat(),
        }


def start_event(
    kind: ActKind, *, announced_on: dt.date | None, final_form_on: dt.date | None, last_served_on: dt.date | None
) -> dt.date | None:
    """The day of the event the appeal term counts from (None: it has not happened yet)."""
    if kind.appeal_from == AppealFrom.ANNOUNCED:
        return announced_on
    if kind.appeal_from == AppealFrom.FINAL_FORM:
        # The reasoned act cannot be before the announcement: the later of the two counts.
        days = [d for d in (announced_on, final_form_on) if d is not None]
        return max(days) if announced_on is not None and days else None
    return last_served_on


def appeal_term(kind: ActKind, event_date: dt.date, calendar: WorkingCalendar | None = None) -> AppealTerm:
    computed = (calendar or working_calendar()).add(event_date, kind.appeal_amount, kind.appeal_unit, explain=False)
    return AppealTerm(
        rule=kind.code,
        legal_basis=kind.legal_basis,
        amount=kind.appeal_amount,
        unit=kind.appeal_unit,
        counted_from=str(kind.appeal_from),
        event_date=event_date,
        last_day=computed.end,
    )
