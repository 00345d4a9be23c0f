"""The statistics the Supreme Court reports: sent, delivered, failed, segments, cost, recipients
notified, delivery rate, per court and period."""

import datetime as dt
from decimal import Decimal

import pytest

from torelik.core import clock
from torelik.notifications import actions
from torelik.notifications.actions import Outcome
from torelik.notifications.queries import message_statistics
from torelik.notifications.tests.factories import court_office, summons

pytestmark = pytest.mark.django_db

# 10:00 in Almaty on 1 March 2027.
MORNING = dt.datetime(2027, 3, 1, 5, 0, tzinfo=dt.UTC)


def test_statistics_per_court_and_period() -> None:
    first = court_office("0215")
    second = court_office("0216")
    with clock.frozen_at(MORNING):
        delivered = summons("a", phone="+77011234567", court=first.court)
        sent = summons("b", phone="+77011234568", court=first.court)
        again_same_person = summons("c", phone="+77011234567", court=first.court)
        failed = summons("d", phone="+77011234569", court=first.court)
        other_court = summons("e", phone="+77011234570", court=second.court)
        assert len(actions.claim_due(limit=100)) == 5
        actions.record_outcomes(
            [
                Outcome(message_id=m.pk, ok=True, provider_id="x")
                for m in (delivered, sent, again_same_person, other_court)
            ]
            + [Outcome(message_id=failed.pk, ok=False, error="403", retryable=False)]
        )
        actions.record_delivery_report(message_id=str(delivered.public_id), report_type=1)
    with clock.frozen_at(MORNING + dt.timedelta(days=1)):
        summons("f", court=first.court)  # the next day: outside the period

    segments = delivered.segments
    stats = message_statistics(court_ids=[first.court.pk], start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 1))
    assert stats.total.messages == 4
    assert stats.sent == 3
    assert stats.delivered == 1
    assert stats.failed == 1
    assert stats.segments == 3 * segments
    assert stats.cost == Decimal(4 * 3 * segments)
    assert stats.recipients_notified == 2  # two phones, one of them twice
    assert stats.delivery_rate == pytest.approx(1 / 3)
    assert set(stats.per_court) == {first.court.pk}

    everything = message_statistics(court_ids=None, start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 2))
    assert everything.total.messages == 6
    assert everything.per_court[second.court.pk].sent == 1
    assert everything.per_court[first.court.pk].messages == 5


def test_an_empty_period_has_no_delivery_rate() -> None:
    stats = message_statistics(court_ids=None, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31))
    assert stats.sent == 0
    assert stats.delivery_rate is None
    assert stats.per_court == {}
