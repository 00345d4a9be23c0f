"""Entry into force computed by the system on dates worked by hand from the law and the 2026
calendar (Nauryz 21–23 March, falling on a weekend, moves days off to 24 and 25 March; Women's Day
8 March, a Sunday, moves to Monday 9 March; Independence Day 16 December), and held back by an appeal."""

import datetime as dt
import json

import pytest

from torelik.acts import actions, appeals
from torelik.acts.entry_into_force import appeal_term
from torelik.acts.errors import ActError, ActErrorCode
from torelik.acts.kinds import all_kinds, kind_of
from torelik.acts.models import Act, ActStatus
from torelik.acts.tasks import enter_acts_into_force
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.cases.models import CaseEvent, CaseEventKind, CaseStatus
from torelik.cases.statuses import is_system_only
from torelik.core import clock
from torelik.deadlines.actions import TERM_RULES_FILE
from torelik.deadlines.handlers import APPEAL_TERM_FROM
from torelik.deadlines.models import Term, TermStatus, Trigger
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = pytest.mark.django_db


def _kind(code: str):  # type: ignore[no-untyped-def]
    kind = kind_of(code)
    assert kind is not None
    return kind


def test_a_ruling_of_a_friday_before_holidays_ends_its_ten_working_days_after_nauryz() -> None:
    # Ruling on Fri 6 Mar 2026. Working days: (Mon 9 Mar is off for 8 March) 10, 11, 12, 13, 16, 17,
    # 18, 19, 20 March = 9; 21–25 March are off (Nauryz and the two days moved from the weekend);
    # the 10th working day is Thu 26 March; in force on Fri 27 March.
    term = appeal_term(_kind("civil-ruling"), dt.date(2026, 3, 6))
    assert term.last_day == dt.date(2026, 3, 26)
    assert term.in_force_on == dt.date(2026, 3, 27)


def test_a_sentence_of_a_friday_counts_fifteen_days_then_passes_over_nauryz() -> None:
    # Sentence announced Fri 6 Mar 2026: 15 days end on Sat 21 March, a day off like 22–25 March;
    # the last day moves to Thu 26 March.
    term = appeal_term(_kind("criminal-sentence"), dt.date(2026, 3, 6))
    assert term.last_day == dt.date(2026, 3, 26)


def test_a_month_term_ending_on_independence_day_moves_to_the_next_working_day() -> None:
    # Decision in final form on Mon 16 Nov 2026: one month ends on Wed 16 Dec, Independence Day;
    # the last day is Thu 17 Dec, and the decision is in force from Fri 18 Dec.
    term = appeal_term(_kind("civil-decision"), dt.date(2026, 11, 16))
    assert term.last_day == dt.date(2026, 12, 17)
    assert term.in_force_on == dt.date(2026, 12, 18)


def test_a_month_term_from_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    # Decision in final form on Mon 31 Aug 2026: September has no 31st, so the month ends on its
    # last day, Wed 30 Sep 2026, a working day.
    assert appeal_term(_kind("civil-decision"), dt.date(2026, 8, 31)).last_day == dt.date(2026, 9, 30)


def _announced(world: World, ca: DemoCA, day: dt.date) -> Act:
    """A decision signed (on the machine's day: the demo CA's certificates and CRL are of today) and
    then, as the scenario has it, dated in final form and announced on `day`."""
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    actions.sign_act(act=act, actor=judge, signature=signature)
    Act.objects.filter(pk=act.pk).update(final_form_on=day)
    with clock.frozen_at(on(day)):
        return actions.announce_act(act=act, actor=judge)


def test_the_worker_records_entry_into_force_after_the_term_with_rule_term_and_date(ca: DemoCA, tsa: str) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    act = _announced(world, ca, dt.date(2026, 11, 16))
    assert act.appeal_term_end == dt.date(2026, 12, 17)
    assert world.case.__class__.objects.get(pk=world.case.pk).status == CaseStatus.DECIDED
    with clock.frozen_at(on(dt.date(2026, 12, 17), hour=23)):
        enter_acts_into_force.call()
    assert Act.objects.get(pk=act.pk).status == ActStatus.ANNOUNCED  # the last day is still the party's
    with clock.frozen_at(on(dt.date(2026, 12, 18), hour=0)):
        enter_acts_into_force.call()
        enter_acts_into_force.call()  # idempotent
    act.refresh_from_db()
    assert act.status == ActStatus.IN_FORCE
    assert act.in_force_on == dt.date(2026, 12, 18)
    event = CaseEvent.objects.get(case=world.case, kind=CaseEventKind.ENTERED_INTO_FORCE)
    assert event.actor is None
    assert event.data["rule"] == "civil-decision"
    assert event.data["term"] == 1
    assert event.data["unit"] == "months"
    assert event.data["last_day"] == "2026-12-17"
    assert event.data["in_force_on"] == "2026-12-18"
    assert "377-V" in event.data["legal_basis"]
    assert world.case.__class__.objects.get(pk=world.case.pk).status == CaseStatus.IN_FORCE


def test_an_appeal_in_time_holds_the_act_back_and_a_late_one_needs_a_motion(ca: DemoCA, tsa: str) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    act = _announced(world, ca, dt.date(2026, 11, 16))
    with pytest.raises(ActError) as late:
        actions.record_appeal(act=act, actor=None, filed_on=dt.date(2026, 12, 18))
    assert late.value.code == ActErrorCode.APPEAL_LATE
    with clock.frozen_at(on(dt.date(2026, 12, 17))):
        actions.record_appeal(act=act, actor=None, filed_on=dt.date(2026, 12, 17))
    with clock.frozen_at(on(dt.date(2027, 1, 20))):
        enter_acts_into_force.call()
    act.refresh_from_db()
    assert act.status == ActStatus.APPEALED
    assert act.in_force_on is None
    assert world.case.__class__.objects.get(pk=world.case.pk).status == CaseStatus.APPEALED


def test_nobody_sets_a_case_in_force_by_hand() -> None:
    for source in (CaseStatus.DECIDED, CaseStatus.APPEALED, CaseStatus.CLOSED):
        assert is_system_only(source, CaseStatus.IN_FORCE)


def test_the_deadlines_appeal_term_opens_on_the_decisions_own_event_and_ends_with_the_acts(
    ca: DemoCA, tsa: str
) -> None:
    # Decision in final form and announced on Mon 16 Nov 2026 (worked by hand above: the month ends
    # on Independence Day, Wed 16 Dec, and moves to Thu 17 Dec). The case's "decided" status opens
    # nothing; the act's event opens the parties' appeal term, with the act's own last day.
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    act = _announced(world, ca, dt.date(2026, 11, 16))
    term = Term.objects.get(case=world.case, rule__code="civil-appeal")
    assert term.started_by == Trigger.DECISION_FINAL_FORM
    assert term.event_date == dt.date(2026, 11, 16)
    assert term.due_date == act.appeal_term_end == dt.date(2026, 12, 17)
    assert term.status == TermStatus.RUNNING
    with clock.frozen_at(on(dt.date(2026, 12, 17))):
        appeals.lodge_appeal(
            lower_case=world.case, higher_court=world.court.court, appellant_iin="", document=None, actor=None
        )
    term.refresh_from_db()
    assert (term.status, term.closed_on) == (TermStatus.MET, dt.date(2026, 12, 17))


def test_the_deadlines_appeal_rules_count_what_the_act_kinds_count() -> None:
    """One appeal term: each enabled appeal rule of the deadlines has the figure, the unit and the
    starting event of the act kinds it is the term of."""
    rules = json.loads(TERM_RULES_FILE.read_text(encoding="utf-8"))["rules"]
    checked = 0
    for rule in (r for r in rules if r["slot"] == "appeal" and r["enabled"]):
        for kind in all_kinds():
            if kind.review != "appeal" or "first" not in kind.instances:
                continue
            if not set(kind.proceeding_types) & set(rule["proceeding_types"]):
                continue
            assert (kind.appeal_amount, kind.appeal_unit) == (rule["amount"], rule["unit"]), (kind.code, rule["code"])
            assert APPEAL_TERM_FROM[kind.appeal_from] == rule["starts_on"], (kind.code, rule["code"])
            checked += 1
    assert checked >= 4
