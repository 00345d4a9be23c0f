"""The monitoring's tallies (ADR 0116) are what the protocols say: each drawn protocol adds its chances
to every judge it names and a draw won (with its weight) to its judge, on its day; a draw replaced by a
new one no longer stands on its judge's load; and a recount from the protocols finds nothing to mend."""

import datetime as dt
import io
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from torelik.core import clock
from torelik.courts.tests.factories import next_iin
from torelik.distribution import actions
from torelik.distribution.errors import DrawPendingError
from torelik.distribution.models import Draw, DrawReason, DrawStatus, DrawTally
from torelik.distribution.queries import monitoring
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw, other_parties


def _kept(court_id: int) -> dict[int, tuple[int, int, float]]:
    figures: dict[int, tuple[int, int, float]] = {}
    for row in DrawTally.objects.filter(court_id=court_id):
        n, w, p = figures.get(row.judge_id, (0, 0, 0.0))
        figures[row.judge_id] = (n + row.received, w + row.weight, p + row.chance)
    return figures


def test_the_tallies_follow_the_protocols_through_a_recusal(court5: Court5, register: Register) -> None:
    court = court5.office.court
    cases = [register(at=FILED + dt.timedelta(hours=n), parties=other_parties(next_iin())) for n in range(4)]
    recused = cases[0]
    first = latest_draw(recused)
    assert first.judge is not None
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        again = actions.redistribute(
            case=recused, reason=DrawReason.RECUSAL, grounds="родство с истцом", actor=court5.office.judge_user
        )
    with clock.frozen_at(FILED + dt.timedelta(days=1, minutes=1)):
        again = actions.complete_draw(again)
    assert again.status == DrawStatus.DRAWN

    # By hand from the protocols: five drawn (four first draws and the new one), the replaced draw's
    # weight off its judge's load, every judge's chances summed as exact fractions.
    drawn = list(Draw.objects.filter(case__court=court, status=DrawStatus.DRAWN).select_related("judge"))
    assert len(drawn) == 5
    kept = _kept(court.pk)
    for judge in court5.judges:
        key = str(judge.public_id)
        won = [d for d in drawn if d.judge_id == judge.pk]
        standing = sum(d.weight for d in won if d.pk != first.pk)
        chances = sum((Fraction(d.probabilities[key]) for d in drawn if key in d.probabilities), Fraction(0))
        received, weight, chance = kept.get(judge.pk, (0, 0, 0.0))
        assert (received, weight) == (len(won), standing)
        assert chance == pytest.approx(float(chances))
    # Two days: the first draws' and the new one's.
    assert set(DrawTally.objects.filter(court=court).values_list("day", flat=True)) == {
        FILED.astimezone(dt.UTC).date(),
        (FILED + dt.timedelta(days=1)).astimezone(dt.UTC).date(),
    }
    assert actions.recount_tallies(replace=False).disagreed == []

    with clock.frozen_at(FILED + dt.timedelta(days=2)):
        figures = monitoring(court)
    assert figures.draws == 5
    assert sum(row.expected for row in figures.judges) == pytest.approx(5)
    loads = {row.judge.pk: row.load for row in figures.judges}
    assert first.judge_id is not None
    assert loads[first.judge_id] == kept.get(first.judge_id, (0, 0, 0.0))[1]


def test_a_recount_mends_tallies_that_went_wrong_and_says_so(court5: Court5, register: Register) -> None:
    register(parties=other_parties(next_iin()))
    register(at=FILED + dt.timedelta(hours=1), parties=other_parties(next_iin()))
    DrawTally.objects.filter(received__gt=0).update(received=7)  # as a bulk load past the draws would leave them
    with pytest.raises(CommandError, match="disagree"):
        call_command("recount-draws", stdout=io.StringIO())  # the console's check says so, and mends nothing
    found = actions.recount_tallies(replace=True)
    assert found.draws == 2
    assert found.disagreed  # said
    assert actions.recount_tallies(replace=False).disagreed == []  # and mended
    assert sum(DrawTally.objects.values_list("received", flat=True)) == 2
    out = io.StringIO()
    call_command("recount-draws", stdout=out)
    assert "agree" in out.getvalue()


def test_the_monitoring_counts_only_the_period(court5: Court5, register: Register) -> None:
    register(parties=other_parties(next_iin()))
    with clock.frozen_at(FILED + dt.timedelta(days=30)):
        assert monitoring(court5.office.court, days=365).draws == 1
    with clock.frozen_at(FILED + dt.timedelta(days=400)):
        assert monitoring(court5.office.court, days=365).draws == 0


def test_a_stale_second_replacement_changes_no_tally(court5: Court5, register: Register) -> None:
    """Two redistributions of one case at once each read the same drawn draw as the one they replace;
    the second, committing after the first was drawn, is refused in words (409: a draw is replaced once)
    and takes nothing off its judge's load."""
    case = register(parties=other_parties(next_iin()))
    first = latest_draw(case)
    at = FILED + dt.timedelta(days=1)
    with clock.frozen_at(at):
        again = actions.commit_draw(case, reason=DrawReason.RECUSAL, grounds="родство", previous=first)
    with clock.frozen_at(at + dt.timedelta(minutes=1)):
        actions.complete_draw(again)
    before = list(DrawTally.objects.order_by("pk").values_list("weight", flat=True))
    with clock.frozen_at(at + dt.timedelta(minutes=10)), pytest.raises(DrawPendingError) as refused:
        actions.commit_draw(case, reason=DrawReason.RECUSAL, grounds="родство", previous=first)
    assert refused.value.http_status == 409
    assert Draw.objects.filter(case=case).count() == 2
    assert list(DrawTally.objects.order_by("pk").values_list("weight", flat=True)) == before
    assert actions.recount_tallies(replace=False).disagreed == []
