"""The statistics' pages, exports and open API over the hand-built journal: the figures it makes,
in each language's way of writing numbers, never inside the charts' coordinates."""

import csv
import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import CourtKind, StaffRole
from torelik.courts.tests.factories import CourtFactory
from torelik.reports.tests.journal import TODAY, Network, known_journal

pytestmark = pytest.mark.django_db

COORDINATE = re.compile(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"')


@pytest.fixture
def net() -> Network:
    return known_journal()


def get(client: Client, path: str) -> tuple[int, str]:
    with clock.frozen_at(TODAY):
        response = client.get(path)
    return response.status_code, response.content.decode()


def svg_coordinates(html: str) -> list[str]:
    return [v for svg in re.findall(r"<svg.*?</svg>", html, re.S) for v in COORDINATE.findall(svg)]


@pytest.mark.parametrize(
    ("language", "clearance", "heading"),
    [("en", "75.0 %", "Statistics of the courts"), ("ru", "75,0 %", "Статистика судов"), ("kk", "75,0 %", "Соттар")],
)
def test_the_public_dashboard_in_each_language(net: Network, language: str, clearance: str, heading: str) -> None:
    status, html = get(Client(), f"/{language}/statistics/?period=2025")
    assert status == 200
    assert heading in html
    assert f'data-figure="clearance_rate">{clearance}<' in html
    assert 'data-figure="pending">3<' in html
    assert 'data-age="under_1">2<' in html
    # Each figure with its definition beside it, the charts' coordinates plain numbers with a dot.
    assert html.count('class="figure-def"') >= 20
    coordinates = svg_coordinates(html)
    assert coordinates
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates
    assert net.court_a.name not in html or language == "en"  # regions listed at the country's level


def test_a_region_and_a_court_of_the_public_site(net: Network) -> None:
    status, html = get(Client(), f"/en/statistics/?period=2025&region={net.region_b.code}")
    assert status == 200
    assert f"?court={net.court_b.code}" in html
    status, html = get(Client(), f"/en/statistics/?period=2025&court={net.court_b.code}")
    assert status == 200
    assert 'data-figure="instituted">1<' in html
    assert "/judges/" not in html  # no judge on the public site


def test_bad_input_is_a_translated_4xx(net: Network) -> None:
    status, html = get(Client(), "/ru/statistics/?period=2025-13")
    assert status == 400
    assert "квартал" in html
    status, _html = get(Client(), "/ru/statistics/?court=0000")
    assert status == 404
    status, _html = get(Client(), "/en/statistics/?format=csv&table=nothing")
    assert status == 400


def test_every_table_exports_as_csv_and_the_workbook_holds_them_all(net: Network) -> None:
    client = Client()
    with clock.frozen_at(TODAY):
        response = client.get("/en/statistics/?period=2025&format=csv&table=months")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Instituted", "Disposed"]
    assert rows[1:6] == [
        ["2025-01", "1", "0"],
        ["2025-02", "3", "1"],
        ["2025-03", "0", "1"],
        ["2025-04", "0", "1"],
        ["2025-05", "0", "0"],
    ]
    with clock.frozen_at(TODAY):
        response = client.get("/en/statistics/?period=2025&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["figures", "age", "proceedings", "categories", "months", "places"]
    figures = {row[1]: row[2] for row in book["figures"].iter_rows(min_row=2, values_only=True)}
    assert figures["Cases instituted"] == 4
    assert figures["Clearance rate"] == 75.0


def test_the_open_api(net: Network) -> None:
    client = Client()
    with clock.frozen_at(TODAY):
        figures = client.get("/api/v1/statistics/figures?period=2025-Q1").json()
        backlog = client.get(f"/api/v1/statistics/backlog?period=2025&court={net.court_a.code}").json()
        refused = client.get("/api/v1/statistics/figures?period=Q1")
        definitions = client.get("/api/v1/statistics/definitions").json()
    values = {f["key"]: f["value"] for f in figures["figures"]}
    # Q1 2025: one, two, four, five instituted; four (Feb) and one (1 Mar) disposed.
    assert (values["instituted"], values["disposed"], values["average_days"]) == (4, 2, 26.0)
    assert backlog["pending"] == 2
    assert {a["key"]: a["pending"] for a in backlog["by_age"]}["under_1"] == 2
    assert refused.status_code == 400
    assert refused.json()["code"] == "bad_period"
    assert all(d["description"] for d in definitions)


def test_a_chairman_drills_from_the_court_to_a_judge(net: Network) -> None:
    chairman = staff_user("chairman.1101", net.court_a, StaffRole.CHAIRMAN)
    client = Client()
    client.force_login(chairman)
    status, _html = get(client, "/kk/statistics/staff/")
    assert status == 302 or status == 200
    status, html = get(client, f"/kk/statistics/staff/courts/{net.court_a.code}/?period=2025")
    assert status == 200
    judge_link = f"/kk/statistics/staff/courts/{net.court_a.code}/judges/{net.judge.pk}/"
    assert judge_link in html
    status, html = get(client, judge_link + "?period=2025")
    assert status == 200
    assert 'data-figure="disposed">2<' in html
    assert 'data-figure="pending">1<' in html
    # Another region's court, and the country, are not theirs.
    assert get(client, f"/kk/statistics/staff/courts/{net.court_b.code}/")[0] == 404
    assert get(client, f"/kk/statistics/staff/regions/{net.region_b.code}/")[0] == 404


def test_the_supreme_courts_staff_see_the_country_and_every_region(net: Network) -> None:
    supreme = CourtFactory.create(code="0001", kind=CourtKind.SUPREME, region=None)
    analyst = staff_user("analyst.0001", supreme, StaffRole.ANALYST)
    client = Client()
    client.force_login(analyst)
    status, html = get(client, "/ru/statistics/staff/?period=2025")
    assert status == 200
    assert f"/ru/statistics/staff/regions/{net.region_b.code}/" in html
    status, html = get(client, f"/ru/statistics/staff/regions/{net.region_b.code}/?period=2025")
    assert status == 200
    assert f"/ru/statistics/staff/courts/{net.court_b.code}/" in html
    assert get(Client(), "/ru/statistics/staff/")[0] == 302  # to the login
