"""The dashboards' counts against a known set of terms, and who sees which dashboard."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from torelik.core import clock
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    Judge,
    ProceedingType,
    Region,
    Specialisation,
    StaffRole,
)
from torelik.courts.tests.factories import CaseCategoryFactory, CourtFactory, JudgeFactory, RegionFactory
from torelik.deadlines import access, queries
from torelik.deadlines.errors import DashboardForbiddenError
from torelik.deadlines.models import Responsible, TermStatus
from torelik.deadlines.tests.factories import at, bare_case, term
from torelik.identity.models import User

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 6, 10)


def _category() -> CaseCategory:
    return CaseCategoryFactory.create(
        code="142030000100000000", proceeding_type=ProceedingType.CIVIL, specialisation=Specialisation.CIVIL
    )


@dataclass(frozen=True)
class Network:
    supreme: Court
    regional: Court
    district: Court
    other: Court
    judge_a: Judge
    judge_b: Judge
    north: Region


@pytest.fixture
def network() -> Network:
    """Region 02 with its regional court and a district court (judges A and B); region 03 with one
    court and one overdue term; the Supreme Court."""
    supreme = CourtFactory.create(code="0001", kind=CourtKind.SUPREME, region=None)
    north = RegionFactory.create(code="02")
    south = RegionFactory.create(code="03", name_en="South")
    regional = CourtFactory.create(code="0200", kind=CourtKind.REGIONAL, region=north, parent=supreme)
    district = CourtFactory.create(code="0215", region=north, parent=regional)
    other = CourtFactory.create(code="0310", region=south)
    category = _category()
    judge_a = JudgeFactory.create(court=district)
    judge_b = JudgeFactory.create(court=district)
    with clock.frozen_at(at(TODAY)):
        a1, a2 = bare_case(district, category, judge_a), bare_case(district, category, judge_a)
        b1 = bare_case(district, category, judge_b)
        far = bare_case(other, category, JudgeFactory.create(court=other))
        term(a1, due=D(2026, 6, 20))  # running
        term(a1, due=D(2026, 6, 12), rule="civil-consideration")  # running, due within 3 days
        term(a2, due=D(2026, 6, 1))  # overdue
        term(a2, due=D(2026, 5, 1), status=TermStatus.MET, rule="civil-acceptance")
        term(a2, due=D(2026, 5, 1), status=TermStatus.MISSED, rule="civil-consideration")
        term(a1, due=D(2026, 6, 1), rule="civil-appeal", responsible=Responsible.PARTY)  # not counted
        term(b1, due=D(2026, 6, 30), status=TermStatus.PAUSED)
        term(b1, due=D(2026, 5, 1), status=TermStatus.MET, rule="civil-acceptance")
        term(b1, due=D(2026, 5, 2), status=TermStatus.MET, rule="civil-consideration")
        term(far, due=D(2026, 6, 9))  # overdue
    return Network(
        supreme=supreme,
        regional=regional,
        district=district,
        other=other,
        judge_a=judge_a,
        judge_b=judge_b,
        north=north,
    )


def test_court_dashboard_counts_per_judge(network: Network) -> None:
    rows = queries.per_judge(network.district, TODAY)
    by_judge = {row.judge: row.counts for row in rows}
    a = by_judge[network.judge_a]
    assert (a.running, a.due_soon, a.overdue, a.paused, a.met, a.missed) == (2, 1, 1, 0, 1, 1)
    assert a.share_met == pytest.approx(1 / 3)
    b = by_judge[network.judge_b]
    assert (b.running, b.due_soon, b.overdue, b.paused, b.met, b.missed) == (0, 0, 0, 1, 2, 0)
    assert b.share_met == 1.0


def test_region_and_national_dashboards(network: Network) -> None:
    rows = queries.per_court(Court.objects.filter(region=network.north), TODAY)
    assert [(r.key, r.counts.running, r.counts.overdue, r.counts.met) for r in rows] == [("0215", 2, 1, 3)]
    regions, courts = queries.national(TODAY)
    assert [(r.key, r.counts.overdue, r.counts.paused) for r in regions] == [("02", 1, 1), ("03", 1, 0)]
    assert [c.key for c in courts] == ["0215", "0310"]
    total = regions[0].counts + regions[1].counts
    assert (total.met, total.missed, total.overdue) == (3, 1, 2)
    assert total.share_met == pytest.approx(3 / 6)


def _staff(username: str, court: Court, role: str) -> User:
    user = User.objects.create_user(username=username, password="a-long-passphrase-1")
    user.positions.create(court=court, role=role)
    return user


def test_who_sees_which_dashboard(network: Network) -> None:
    district_chairman = _staff("chair.0215", network.district, StaffRole.CHAIRMAN)
    regional_analyst = _staff("analyst.0200", network.regional, StaffRole.ANALYST)
    supreme_judge = _staff("judge.0001", network.supreme, StaffRole.JUDGE)
    far_clerk = _staff("clerk.0310", network.other, StaffRole.CLERK)

    assert access.court_for(district_chairman, "0215") == network.district
    with pytest.raises(DashboardForbiddenError):
        access.court_for(far_clerk, "0215")
    with pytest.raises(DashboardForbiddenError):
        access.region_for(district_chairman, "02")
    assert access.region_for(regional_analyst, "02") == network.north
    assert access.court_for(regional_analyst, "0215") == network.district
    with pytest.raises(DashboardForbiddenError):
        access.require_national(regional_analyst)
    access.require_national(supreme_judge)
    assert access.court_for(supreme_judge, "0310") == network.other
    assert access.terms_visible_to(far_clerk).count() == 1


def _bars(page: str) -> list[list[tuple[str, float, float]]]:
    """Each row of the terms chart as [(part, x, width)]; every coordinate must parse with a dot."""
    chart = re.search(r'<figure class="chart terms-chart">(.*?)</figure>', page, re.S)
    assert chart is not None, "no terms chart on the page"
    out = []
    for body in re.findall(r"<g><title>.*?</title>(.*?)</g>", chart.group(1), re.S):
        rects = re.findall(r'<rect data-part="(\w+)" x="([^"]+)" y="[^"]+" width="([^"]+)"', body)
        out.append([(part, float(x), float(width)) for part, x, width in rects])
    return out


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_court_dashboard_charts_each_judge_s_terms_on_one_scale_in_any_language(
    network: Network, client: Client, language: str
) -> None:
    """Judge A has 5 terms (met, late, overdue, running, due soon: one each) and fills the width; judge
    B's 3 (paused 1, met 2) reach three fifths of it. Coordinates are written with a dot whatever the
    page's language (a decimal comma is no SVG number)."""
    client.force_login(_staff("chair.chart", network.district, StaffRole.CHAIRMAN))
    with clock.frozen_at(dt.datetime(2026, 6, 10, 6, 0, tzinfo=dt.UTC)):
        page = client.get(f"/{language}/deadlines/courts/0215/").content.decode()
    [a] = [bar for bar in _bars(page) if len(bar) == 5]
    [b] = [bar for bar in _bars(page) if len(bar) == 2]
    assert [part for part, _x, _w in a] == ["met", "missed", "overdue", "running", "due_soon"]
    assert [part for part, _x, _w in b] == ["met", "paused"]
    full = sum(width for _p, _x, width in a)
    assert sum(width for _p, _x, width in b) == pytest.approx(full * 3 / 5, abs=0.05)
    assert [w for _p, _x, w in b] == pytest.approx([full * 2 / 5, full / 5], abs=0.05)
    assert [w for _p, _x, w in a] == pytest.approx([full / 5] * 5, abs=0.05)
    assert a[1][1] == pytest.approx(a[0][1] + a[0][2], abs=0.05)  # laid end to end


def test_the_national_dashboard_charts_each_region(network: Network, client: Client) -> None:
    """Region 02 has 8 terms (3 met, 1 late, 1 overdue, 2 running, 1 paused), region 03 one overdue:
    its bar is an eighth of the other's."""
    client.force_login(_staff("supreme.chart", network.supreme, StaffRole.JUDGE))
    with clock.frozen_at(dt.datetime(2026, 6, 10, 6, 0, tzinfo=dt.UTC)):
        page = client.get("/kk/deadlines/national/").content.decode()
    north, south = sorted(_bars(page), key=len, reverse=True)
    assert south == [("overdue", south[0][1], south[0][2])]
    assert south[0][2] == pytest.approx(sum(w for _p, _x, w in north) / 8, abs=0.05)


def test_the_national_page_lists_the_courts_with_most_terms_not_met_or_a_chosen_regions(
    network: Network, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0215 has two terms not met on time (one overdue, one met late), 0310 one: with room for one
    court, the page shows 0215 and says how many it leaves out; a chosen region shows all its courts."""
    monkeypatch.setattr("torelik.deadlines.views.WORST_COURTS", 1)
    client.force_login(_staff("supreme.worst", network.supreme, StaffRole.JUDGE))
    with clock.frozen_at(dt.datetime(2026, 6, 10, 6, 0, tzinfo=dt.UTC)):
        page = client.get("/ru/deadlines/national/").content.decode()
        south = client.get("/ru/deadlines/national/", {"region": "03"}).content.decode()
    courts = page.split('id="courts-title"')[1]
    assert "/deadlines/courts/0215/" in courts
    assert "/deadlines/courts/0310/" not in courts
    assert "1 из 2 судов" in courts
    listed = south.split('id="courts-title"')[1]
    assert "/deadlines/courts/0310/" in listed
    assert "/deadlines/courts/0215/" not in listed
