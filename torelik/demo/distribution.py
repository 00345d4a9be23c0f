"""Demo cases are distributed by the real draw (`assign/v1`), so the demo holds thousands of
verifiable protocols: the seeder commits right after each registration and draws at the planned
moment of assignment, both with the clock frozen at those moments.

Never ahead of the real moment the seeding runs at (`now`, taken when `RealDraws` is made): a
step planned after it is not committed, and a draw whose beacon round is not due by then is not
completed. The case waits, as a live one would, and the distributor (or `torelik complete-draws`)
finishes it when its time comes (issue #30: a local beacon value out early gives away every earlier
value of its segment)."""

import datetime as dt

from torelik.archive.actions import sequence_and_checkpoint
from torelik.cases.models import Case
from torelik.core import clock
from torelik.courts.models import Judge
from torelik.distribution.actions import commit_draw, complete_draw
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import round_time
from torelik.distribution.models import Draw, DrawStatus


class RealDraws:
    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or clock.now()

    def committed(self, case: Case) -> None:
        if clock.now() <= self.now:
            commit_draw(case)
            # At the frozen moment of the commitment, as the distributor does right after a batch: the
            # commitment in the transparency log and a signed checkpoint of it, before its round.
            sequence_and_checkpoint()

    def assigned(self, case: Case) -> Judge | None:
        if clock.now() > self.now:
            return None  # planned after the real moment: left waiting
        draw = Draw.objects.filter(case=case).order_by("-attempt").first()
        if draw is None or draw.status == DrawStatus.WAITING:
            return None
        due = round_time(configured_beacon(), draw.beacon_round)
        if draw.status == DrawStatus.COMMITTED and due > self.now:
            return None  # not due yet on the real clock: left waiting
        with clock.frozen_at(max(clock.now(), due)):
            done = complete_draw(draw)
        return done.judge
