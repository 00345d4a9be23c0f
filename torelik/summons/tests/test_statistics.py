"""The statistics of notices from known inputs: per court, per period, per day."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.notifications.actions import DeliveryReport, record_delivery_report
from torelik.notifications.gateways import ConsoleSmsBackend
from torelik.notifications.models import Message
from torelik.notifications.sender import send_due_messages
from torelik.summons.actions import open_subpoena
from torelik.summons.chart import day_chart
from torelik.summons.queries import DayCount, statistics
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIMANT_E164, summoned

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 1)


def test_figures_per_court_and_period(outbox: Outbox) -> None:
    first = summoned("0215")
    code = outbox.codes()[CLAIMANT_E164]
    summoned("7585")  # the same people, summoned in another court too
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        open_subpoena(phone=CLAIMANT_E164, code=code)

    country = statistics(court_ids=None, start=DAY, end=DAY)
    assert country.totals.subpoenas_issued == 4
    assert country.totals.subpoenas_viewed == 1
    assert [court.code for court, _figures in country.courts] == ["0215", "7585"]
    assert country.courts[0][1].subpoenas_issued == 2

    one = statistics(court_ids={first.court.court.pk}, start=DAY, end=DAY)
    with translation.override("ru"):  # Russian writes a decimal comma
        shown = one.totals.view_percent
    assert (one.totals.subpoenas_issued, one.totals.subpoenas_viewed, shown) == (2, 1, "50,0 %")
    assert [(d.day, d.issued, d.viewed) for d in one.days] == [(DAY, 2, 1)]

    before = statistics(court_ids=None, start=DAY - dt.timedelta(days=7), end=DAY - dt.timedelta(days=1))
    assert before.totals.subpoenas_issued == 0
    assert len(before.days) == 7


def test_the_chart_scales_bars_to_the_busiest_day() -> None:
    chart = day_chart([DayCount(DAY, 4, 1), DayCount(DAY + dt.timedelta(days=1), 2, 2)])
    plot = float(chart.baseline) - chart.top
    assert chart.maximum == 4
    assert float(chart.bars[0].issued_height) == pytest.approx(plot)
    assert float(chart.bars[0].viewed_height) == pytest.approx(plot / 4)
    assert float(chart.bars[1].issued_height) == pytest.approx(plot / 2)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_chart_writes_svg_numbers_with_a_dot_in_every_language(
    client: Client, outbox: Outbox, language: str
) -> None:
    summoned()
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        page = client.get(f"/{language}/summons/statistics/", {"start": "2026-11-25", "end": "2026-12-01"})
    svg = page.content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    numbers = re.findall(r'\b(?:x|y|x1|y1|x2|y2|width|height)="([^"]*)"', svg)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numbers), numbers


def test_the_public_page_shows_the_country_totals_and_an_svg_chart(client: Client, outbox: Outbox) -> None:
    summoned()
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        response = client.get("/en/summons/statistics/", {"start": "2026-11-25", "end": "2026-12-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="subpoenas_issued">2<' in html
    assert "<svg" in html
    assert html.count('class="issued"') == 7
    assert 'id="by-court"' not in html


def test_a_reversed_period_is_refused_with_a_400(client: Client) -> None:
    response = client.get("/en/summons/statistics/", {"start": "2026-12-01", "end": "2026-11-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def test_sms_sent_cost_and_delivery_rate_come_from_the_outbox(outbox: Outbox, tmp_path: Path) -> None:
    summons = summoned()
    with clock.frozen_at(NOW + dt.timedelta(minutes=1)):
        report = send_due_messages(backend=ConsoleSmsBackend(path=str(tmp_path / "sms.log")))
    assert report.sent == 2
    first = Message.objects.get(cause="subpoena:0215-26-S-000001")
    record_delivery_report(message_id=str(first.public_id), report_type=DeliveryReport.DELIVERED)
    segments = sum(Message.objects.values_list("segments", flat=True))
    assert segments >= 2

    # Messages are dated by when their rows were written; take a period that holds both clocks.
    start, end = min(DAY, dt.date.today()), max(DAY, dt.date.today())  # noqa: DTZ011 - the real clock on purpose
    figures = statistics(court_ids={summons.court.court.pk}, start=start, end=end).totals
    with translation.override("en"):
        shown = figures.delivery_percent
    assert (figures.sms_sent, figures.messages_delivered, shown) == (2, 1, "50.0 %")
    assert figures.sms_segments == segments
    assert figures.cost == Decimal(4) * segments  # 4 tenge per segment by default
    assert figures.participants_notified == 2


def test_staff_see_their_own_court_court_by_court(client: Client, outbox: Outbox) -> None:
    mine = summoned("0215")
    summoned("7585")
    client.force_login(mine.court.clerk)
    with clock.frozen_at(NOW + dt.timedelta(hours=1)):
        response = client.get("/en/summons/statistics/", {"start": "2026-12-01", "end": "2026-12-01"})
    html = response.content.decode()
    assert 'data-figure="subpoenas_issued">2<' in html  # not the 4 of the country
    assert 'id="by-court"' in html
    assert "0215" in html
    assert "7585" not in html
