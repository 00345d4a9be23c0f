"""The counters the journal's handler keeps, against figures worked out by hand, and the rebuild that
recounts them from the journal."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from torelik.cases.actions import record_case_event
from torelik.cases.models import Case, CaseEventKind
from torelik.core import clock
from torelik.reports import definitions, queries
from torelik.reports.models import PENDING, Counter
from torelik.reports.tests.journal import TODAY, known_journal

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 5, 31))


def figures(area: queries.Area) -> dict[str, object]:
    sums = queries.sums(area, *PERIOD)
    return {shown.figure.key: shown.value for shown in definitions.compute(sums, judge=area.judge_id is not None)}


def test_the_countrys_figures_are_the_sums_worked_out_by_hand() -> None:
    known_journal()
    got = figures(queries.Area(court_ids=None))
    # Registered in the period: one (Jan), two, four, five (1 Feb in Almaty); three was registered in 2023.
    assert got["instituted"] == 4
    # Disposed: one decided 1 Mar (50 days), four returned 12 Feb (2 days), five decided 10 Apr (68 days).
    assert got["disposed"] == 3
    assert got["average_days"] == 40.0
    assert got["clearance_rate"] == 75.0
    assert (got["filed_judicial_office"], got["filed_egov"], got["filed_psc"], got["filed_paper"]) == (1, 1, 1, 1)
    assert got["efiled_share"] == 75.0
    assert got["coupon_share"] == 100.0
    assert got["subpoenas_issued"] == 2
    assert got["subpoenas_viewed"] == 50.0
    assert got["letters_sent"] == 1
    assert got["letters_final"] == 100.0
    assert got["letters_served"] == 0


def test_a_court_and_a_judge_see_their_own_share() -> None:
    net = known_journal()
    court = figures(queries.Area(court_ids=frozenset({net.court_b.pk})))
    assert (court["instituted"], court["disposed"], court["average_days"]) == (1, 1, 2.0)
    judge = figures(queries.Area(court_ids=None, judge_id=net.judge.pk))
    assert (judge["instituted"], judge["disposed"]) == (2, 2)
    assert "sms_sent" not in judge


def test_the_backlog_by_age_month_and_court() -> None:
    net = known_journal()
    with clock.frozen_at(TODAY):
        backlog = queries.backlog(queries.Area(court_ids=None))
        judge = queries.backlog(queries.Area(court_ids=None, judge_id=net.judge.pk))
    # Pending on 15 June 2025: two (Feb 2025), five (reopened, Feb 2025), three (Mar 2023: 27 months).
    assert backlog.pending == 3
    assert backlog.by_age == {"under_1": 2, "1_3": 1, "3_5": 0, "5_10": 0, "over_10": 0}
    assert backlog.by_court == {net.court_a.pk: 2, net.court_b.pk: 1}
    assert judge.pending == 1
    months = queries.months(queries.Area(court_ids=None), *PERIOD)
    assert [(m.month.month, m.instituted, m.disposed) for m in months] == [
        (1, 1, 0),
        (2, 3, 1),
        (3, 0, 1),
        (4, 0, 1),
        (5, 0, 0),
    ]


def test_the_rebuild_agrees_with_the_live_counters_and_mends_them() -> None:
    known_journal()
    call_command("rebuild-statistics", "--quiet-progress")  # agrees: no error
    Counter.objects.filter(figure="instituted").update(count=F("count") + 1)
    Counter.objects.filter(figure=PENDING).update(count=F("count") + 5)
    with pytest.raises(CommandError):
        call_command("rebuild-statistics", "--quiet-progress")
    call_command("rebuild-statistics", "--quiet-progress", "--replace")
    call_command("rebuild-statistics", "--quiet-progress")
    assert figures(queries.Area(court_ids=None))["instituted"] == 4


def _record_then_fail(case: Case) -> None:
    with transaction.atomic():
        record_case_event(case=case, kind=CaseEventKind.SUBPOENA_ISSUED, actor=None)
        raise RuntimeError("the change fails")


def test_a_rolled_back_change_leaves_the_counters_as_they_were() -> None:
    net = known_journal()
    before = list(Counter.objects.order_by("pk").values_list("count", flat=True))
    with pytest.raises(RuntimeError):
        _record_then_fail(net.cases["one"])
    assert list(Counter.objects.order_by("pk").values_list("count", flat=True)) == before


@pytest.mark.parametrize(
    "period",
    [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # whole months: the roll-ups alone
        (dt.date(2025, 1, 12), dt.date(2025, 4, 10)),  # days, whole months, days
        (dt.date(2025, 2, 5), dt.date(2025, 2, 27)),  # days of one month
        (dt.date(2025, 2, 1), dt.date(2025, 4, 10)),  # whole months, then days
    ],
)
def test_the_months_roll_ups_sum_to_the_days(period: tuple[dt.date, dt.date]) -> None:
    known_journal()
    area = queries.Area(court_ids=None)
    # The roll-ups are kept beside the days, one row a month.
    february = Counter.objects.filter(figure="m:instituted", day=dt.date(2025, 2, 1))
    assert sum(february.values_list("count", flat=True)) == 3
    with_roll_ups = queries.sums(area, *period).tallies, queries.months(area, *period)
    by_court = queries.instituted_by_court(area, *period)
    queries.READ_ROLL_UPS = False
    try:
        assert (queries.sums(area, *period).tallies, queries.months(area, *period)) == with_roll_ups
        assert queries.instituted_by_court(area, *period) == by_court
    finally:
        queries.READ_ROLL_UPS = True
