"""Reactions of the distribution context to the case file's events."""

import logging
import threading

from django.conf import settings
from django.db import connection

from torelik.cases.events import CaseRegistered
from torelik.cases.models import Case
from torelik.core import clock
from torelik.distribution import actions
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import round_time
from torelik.distribution.models import Draw, DrawStatus

logger = logging.getLogger(__name__)


def distribute_registered_case(event: CaseRegistered) -> None:
    """After a registration commits: commit the draw's inputs at once, and draw in the background
    as soon as the beacon round is out, so that the registration never waits for it. Nothing here
    may fail the registration; what cannot finish stays pending for `torelik complete-draws`."""
    try:
        draw = actions.commit_draw(Case(pk=event.case_id))  # it reads the case itself, locked
    except Exception:
        logger.exception("distribution of case %s not committed; `torelik complete-draws` will retry", event.number)
        return
    if draw.status == DrawStatus.COMMITTED:
        complete_soon(draw)


def complete_soon(draw: Draw) -> None:
    """Complete the draw in a background thread right after its round (within
    TORELIK_DISTRIBUTION_WAIT seconds; with 0, or a frozen clock, only `complete-draws` does)."""
    wait = settings.TORELIK_DISTRIBUTION_WAIT
    if wait <= 0 or clock.is_frozen():
        return
    delay = (round_time(configured_beacon(), draw.beacon_round) - clock.now()).total_seconds()
    if delay > wait:
        return
    timer = threading.Timer(max(delay, 0) + 0.05, _complete, args=(draw.pk,))
    timer.daemon = True
    timer.start()


def _complete(draw_id: int) -> None:
    try:
        draw = Draw.objects.get(pk=draw_id)
        actions.complete_draw(draw)
    except Exception:
        logger.exception("draw %s left pending; `torelik complete-draws` will retry", draw_id)
    finally:
        connection.close()  # this thread's own connection
