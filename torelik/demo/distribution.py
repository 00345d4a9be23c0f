"""Demo cases are distributed by the real draw (`assign/v1`), so the demo holds thousands of
verifiable protocols: the seeder commits right after each registration and draws at the planned
moment of assignment, both with the clock frozen at those moments."""

from torelik.archive.actions import sequence_and_checkpoint
from torelik.cases.models import Case
from torelik.core import clock
from torelik.courts.models import Judge
from torelik.distribution.actions import commit_draw, complete_draw
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import round_time
from torelik.distribution.models import Draw, DrawStatus


class RealDraws:
    def committed(self, case: Case) -> None:
        commit_draw(case)
        # At the frozen moment of the commitment, as the distributor does right after a batch: the
        # commitment in the transparency log and a signed checkpoint of it, before its round.
        sequence_and_checkpoint()

    def assigned(self, case: Case) -> Judge | None:
        draw = Draw.objects.filter(case=case).order_by("-attempt").first()
        if draw is None or draw.status == DrawStatus.WAITING:
            return None
        moment = max(clock.now(), round_time(configured_beacon(), draw.beacon_round))
        with clock.frozen_at(moment):
            done = complete_draw(draw)
        return done.judge
