"""The distributor's background work (ADR 0042): a registration enqueues `commit_draws` for its court
in its own transaction; a worker commits the court's waiting cases in one batch under the court's
lock and enqueues `complete_draws` for the moment their beacon round is out; every minute
`sweep_draws` finishes whatever is left (a beacon that did not answer, a case that waited for judges).
Every task here is idempotent: a case committed or drawn already is left as it is."""

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Case
from torelik.core import clock
from torelik.distribution import actions
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import round_time
from torelik.distribution.models import Draw, DrawStatus
from torelik.workers.background import background, periodic

PRIORITY = 50  # a judge's draw goes before the outbox and the sweeps
COMPLETION_DELAY = dt.timedelta(milliseconds=50)  # after a round's time, before its value is asked for


class DrawsPendingError(Exception):
    """Some draws could not be completed (the beacon did not answer): the task is tried again later."""


@background(
    label=_("Commit the draws of a court's new cases"),
    priority=PRIORITY,
    coalesce=True,
    attempts=10,
    backoff=1.0,
    max_backoff=60.0,
)
def commit_draws(court_id: int) -> int:
    """Commit the first draws of the court's registered cases that have none; the number committed."""
    draws = actions.commit_waiting_first_draws(court_id=court_id)
    complete_at_rounds(draws)
    return len(draws)


def complete_at_rounds(draws: Sequence[Draw]) -> None:
    """Enqueue the completion of each round of these committed draws, for right after the round's time."""
    beacon = configured_beacon()
    wall_offset = dt.datetime.now(tz=dt.UTC) - clock.now()  # the queue runs on the wall clock
    for number in sorted({d.beacon_round for d in draws if d.status == DrawStatus.COMMITTED}):
        due = round_time(beacon, number) + COMPLETION_DELAY + wall_offset
        complete_draws.using(run_after=due).enqueue(beacon_round=number)


@background(
    label=_("Draw the judges of a beacon round"),
    priority=PRIORITY,
    coalesce=True,
    attempts=12,
    backoff=1.0,
    max_backoff=60.0,
)
def complete_draws(beacon_round: int) -> int:
    """Draw and assign the committed draws of this round and earlier ones; the number drawn. Raises
    DrawsPendingError (a retry with backoff) while some of them wait for a beacon that did not answer."""
    pending = list(
        Draw.objects.filter(status=DrawStatus.COMMITTED, beacon_round__lte=beacon_round).order_by("beacon_round", "pk")[
            : actions.BATCH_SIZE * 5
        ]
    )
    done = actions.complete_in_batches(pending)
    drawn = [d.case_id for d in done if d.status == DrawStatus.DRAWN]
    courts = Case.objects.filter(pk__in=drawn).values("court_id")
    if drawn and Draw.objects.filter(status=DrawStatus.WAITING, replaced_at=None, case__court_id__in=courts).exists():
        sweep_draws.enqueue()  # a copy of a claim waiting for its first case's judge gets it now, not in a minute
    left = [d for d in done if d.status == DrawStatus.COMMITTED]
    if left:
        raise DrawsPendingError(f"{len(left)} draws of round {beacon_round} or earlier pending: {left[0].last_error}")
    return len(done)


@periodic("distribution.sweep", every=dt.timedelta(minutes=1))
@background(label=_("Finish the draws left pending"), priority=PRIORITY - 10, coalesce=True, attempts=3, backoff=5.0)
def sweep_draws() -> tuple[int, int]:
    """What `torelik complete-draws` does: commit cases never committed, complete the draws whose round is
    out, commit again the cases whose judges are eligible now; (drawn, still pending)."""
    drawn, pending = actions.complete_pending_draws()
    # The cases committed again just now (their judges are eligible now) are drawn at their round, not
    # at the next sweep; a round already out whose beacon did not answer waits for the next sweep.
    upcoming = Draw.objects.filter(status=DrawStatus.COMMITTED, committed_at__gte=clock.now() - dt.timedelta(seconds=5))
    complete_at_rounds(list(upcoming[: actions.BATCH_SIZE]))
    return drawn, pending
