"""The share of cases disposed within the law's terms and the helpline's figures, against values worked
out by hand."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.models import CaseStatus
from torelik.helpline.models import Call, CallChannel, CallStatus, Category, Routing
from torelik.reports import definitions, queries, tally
from torelik.reports.tests.journal import at, known_journal, move, register

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 5, 31))


def figures(area: queries.Area, start: dt.date = PERIOD[0], end: dt.date = PERIOD[1]) -> dict[str, object]:
    sums = queries.sums(area, start, end)
    return {shown.figure.key: shown.value for shown in definitions.compute(sums, judge=area.judge_id is not None)}


def test_the_law_s_term_ends_on_the_same_date_three_months_on_or_the_month_s_last_day() -> None:
    assert tally.term_ends(dt.date(2025, 1, 10), "civil") == dt.date(2025, 4, 10)
    assert tally.term_ends(dt.date(2024, 11, 30), "civil") == dt.date(2025, 2, 28)
    assert tally.term_ends(dt.date(2025, 10, 31), "criminal") == dt.date(2026, 1, 31)


def test_the_share_disposed_within_the_law_s_terms() -> None:
    net = known_journal()
    # One more: registered 5 January, decided 6 April, a day after its term ended on 5 April.
    late = register(net, "late", net.court_b, "egov", at("2025-01-05"))
    move(late, CaseStatus.DECIDED, at("2025-04-06"))
    # Disposed in the period: one (50 days), four (2 days), five (68 days) in term; late out of it.
    country = figures(queries.Area(court_ids=None))
    assert country["disposed"] == 4
    assert country["disposed_in_term"] == 75.0
    court_b = figures(queries.Area(court_ids=frozenset({net.court_b.pk})))
    assert court_b["disposed_in_term"] == 50.0  # four in term, late not
    judge = figures(queries.Area(court_ids=None, judge_id=net.judge.pk))
    assert judge["disposed_in_term"] == 100.0  # one and five


def _call(
    number: str, received: dt.datetime, channel: str, category: Category, court_id: int | None, **extra: object
) -> None:
    Call.objects.create(
        number=number,
        received_at=received,
        channel=channel,
        category=category,
        court_id=court_id,
        question="?",
        **extra,
    )


def test_the_helpline_s_figures_by_channel_category_and_term() -> None:
    net = known_journal()
    info, _ = Category.objects.get_or_create(
        code="stats-info", defaults={"name_kk": "a", "name_ru": "a", "name_en": "a", "routing": Routing.NONE}
    )
    complaint, _ = Category.objects.get_or_create(
        code="stats-complaint", defaults={"name_kk": "b", "name_ru": "b", "name_en": "b", "routing": Routing.COURT}
    )
    a, b = net.court_a.pk, net.court_b.pk
    _call("T-1", at("2025-03-01", 9), CallChannel.LANDLINE, info, a, status=CallStatus.ANSWERED_AT_ONCE)
    _call("T-2", at("2025-03-01", 11), CallChannel.MOBILE, info, b, status=CallStatus.ANSWERED_AT_ONCE)
    # Routed with a term to 14 March: answered on 14 March (in term), on 15 March (late), not yet.
    due = dt.date(2025, 3, 14)
    routed = {"routing": Routing.COURT, "due_on": due, "status": CallStatus.ANSWERED}
    _call("T-3", at("2025-03-02"), CallChannel.WEB_FORM, complaint, a, answered_at=at("2025-03-14", 23), **routed)
    _call("T-4", at("2025-03-03"), CallChannel.LANDLINE, complaint, a, answered_at=at("2025-03-15", 9), **routed)
    _call("T-5", at("2025-03-04"), CallChannel.EMAIL, complaint, b, **{**routed, "status": CallStatus.ROUTED})
    _call("T-6", at("2025-06-01"), CallChannel.LANDLINE, info, a)  # after the period
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    country = figures(queries.Area(court_ids=None), *march)
    assert country["helpline_calls"] == 5
    assert country["helpline_calls_a_day"] == round(5 / 31, 1)
    assert (country["helpline_landline"], country["helpline_mobile"]) == (2, 1)
    assert (country["helpline_web_form"], country["helpline_email"]) == (1, 1)
    assert country["helpline_answered_in_term"] == round(100 / 3, 1)  # T-3 of T-3, T-4, T-5
    sums = queries.sums(queries.Area(court_ids=None), *march)
    assert (sums.record("helpline_category_stats-info"), sums.record("helpline_category_stats-complaint")) == (2, 3)
    court_a = figures(queries.Area(court_ids=frozenset({a})), *march)
    assert (court_a["helpline_calls"], court_a["helpline_answered_in_term"]) == (3, 50.0)
    assert "helpline_calls" not in figures(queries.Area(court_ids=None, judge_id=net.judge.pk), *march)
    # The statistics page shows the calls by category in a table, the most first, in the page's language.
    Category.objects.filter(code="stats-complaint").update(name_kk="Шағымдар")
    html = Client().get("/kk/statistics/?period=2025-03").content.decode()
    table = html[html.index('id="helpline-categories-table"') :]
    assert table.index("Шағымдар") < table.index('data-category="stats-info"')
    assert '<td data-category="stats-complaint">3</td>' in table
    assert '<td data-category="stats-info">2</td>' in table
    csv = Client().get("/en/statistics/?period=2025-03&format=csv&table=helpline").content.decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["b,stats-complaint,3", "a,stats-info,2"]
