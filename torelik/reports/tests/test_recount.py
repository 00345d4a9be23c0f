"""The rebuild's two statements of what an entry counts agree: on PostgreSQL the database counts the
journal in SQL (`queries.recount_in_database`), elsewhere the tally entry by entry; on the known journal
and on the edges where they could part (a day that is another in Almaty than in UTC, a term that ends on
the last day of a shorter month, a letter's final status, a case resumed), both give the counters the
handlers kept, and the figures worked out by hand."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from torelik.cases.models import CaseEventKind, CaseStatus
from torelik.reports import actions, queries
from torelik.reports.models import Counter
from torelik.reports.tests.journal import Network, at, known_journal, move, record, register

pytestmark = [pytest.mark.django_db]


def _edges() -> Network:
    net = known_journal()
    # Registered on 30 November 2024: its 3 months end on 28 February 2025 (no 30 February).
    edge = register(net, "edge", net.court_b, "paper", at("2024-11-30"))
    late = register(net, "late", net.court_b, "paper", at("2024-11-30", 11))
    move(edge, CaseStatus.DECIDED, at("2025-02-28", 23, 30))
    move(late, CaseStatus.DECIDED, at("2025-03-01", 0, 30))
    record(late, CaseEventKind.LETTER_SENT, at("2025-03-02"))
    # 19:30 UTC on 4 March is 5 March in Almaty.
    record(late, CaseEventKind.LETTER_DELIVERED, dt.datetime(2025, 3, 4, 19, 30, tzinfo=dt.UTC), {"date": "2025-03-05"})
    return net


def test_the_tally_recounts_the_counters_the_handlers_kept() -> None:
    net = _edges()
    assert queries.count_journal() == queries.live_counters()
    live = queries.live_counters()
    b = (net.court_b.pk, "civil")
    # By hand: edge within its term (28 Feb), late one day beyond it; the letter served on 5 March.
    assert live[("disposed_in_term", dt.date(2025, 2, 28), *b, "")] == (1, 0)
    assert ("disposed_in_term", dt.date(2025, 3, 1), *b, "") not in live
    assert live[("letters_final", dt.date(2025, 3, 5), *b, "letter_delivered")] == (1, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's recount is PostgreSQL's")
def test_the_databases_recount_is_the_tallys() -> None:
    _edges()
    recount = queries.recount_in_database(chunk=7)  # several ranges of the journal
    assert recount.differences == []
    assert recount.status_differences == []
    assert queries.recounted() == queries.count_journal()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's recount is PostgreSQL's")
def test_the_command_finds_and_mends_a_wrong_counter_in_the_database() -> None:
    _edges()
    call_command("rebuild-statistics", "--quiet-progress")
    Counter.objects.filter(figure="disposed_in_term").update(count=F("count") + 1)
    Counter.objects.filter(figure="pending").update(count=F("count") - 1)
    with pytest.raises(CommandError):
        call_command("rebuild-statistics", "--quiet-progress")
    call_command("rebuild-statistics", "--quiet-progress", "--replace")
    assert queries.live_counters() == queries.count_journal()
    call_command("rebuild-statistics", "--quiet-progress")
    # A recount that agrees writes nothing; over empty counters it writes them all.
    queries.recount_in_database()
    assert actions.replace_counters_by_recount() == 0
    Counter.objects.all().delete()
    recount = queries.recount_in_database()
    assert recount.difference_count == recount.counters == len(queries.count_journal())
    assert actions.replace_counters_by_recount() == recount.counters
    assert queries.live_counters() == queries.count_journal()
