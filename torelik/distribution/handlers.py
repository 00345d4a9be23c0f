"""Reactions of the distribution context to the case file's events, and the process's distributor.

After a registration commits, its case goes to the distributor of the serving process: a thread
that commits the first draws of the cases gathered in BATCH_WINDOW seconds in one transaction
(`actions.commit_first_draws`), and completes them right after their beacon round (ADR 0031).
Without the thread (TORELIK_DISTRIBUTION_WAIT 0, or a frozen clock, as under `make test`) the
handler commits the draw itself, at once. Nothing here may fail a registration; what cannot
finish stays pending for `torelik complete-draws`.
"""

import heapq
import logging
import queue
import threading
import time
from collections.abc import Sequence

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

BATCH_WINDOW = 0.2  # seconds the distributor gathers registrations before it commits their draws
COMPLETION_DELAY = 0.05  # seconds after a round's time before its value is asked for


def _threaded() -> bool:
    return settings.TORELIK_DISTRIBUTION_WAIT > 0 and not clock.is_frozen()


def distribute_registered_case(event: CaseRegistered) -> None:
    """After a registration commits: hand the case to the process's distributor, or commit its
    draw at once where there is none."""
    if _threaded():
        distributor().submit(event.case_id)
        return
    try:
        actions.commit_draw(Case(pk=event.case_id))  # it reads the case itself, locked
    except Exception:
        logger.exception("distribution of case %s not committed; `torelik complete-draws` will retry", event.number)


def complete_soon(draw: Draw) -> None:
    """Complete the draw right after its round (within TORELIK_DISTRIBUTION_WAIT seconds; with 0,
    or a frozen clock, only `complete-draws` does)."""
    if _threaded() and draw.status == DrawStatus.COMMITTED:
        distributor().complete([draw])


class Distributor:
    """One thread per process: commits first draws in batches and completes committed draws once
    their round is out. Its work is a queue of case ids and a heap of (moment, draw ids)."""

    def __init__(self) -> None:
        self._cases: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._due: list[tuple[float, int]] = []  # (monotonic moment to complete, draw id)
        self._due_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, case_id: int) -> None:
        self._cases.put(case_id)
        self._ensure_running()
        self._wake.set()

    def complete(self, draws: Sequence[Draw]) -> None:
        """Complete these committed draws after their rounds, if that is within the wait."""
        beacon = configured_beacon()
        now, wall = time.monotonic(), clock.now()
        with self._due_lock:
            for draw in draws:
                delay = (round_time(beacon, draw.beacon_round) - wall).total_seconds()
                if draw.status == DrawStatus.COMMITTED and delay <= settings.TORELIK_DISTRIBUTION_WAIT:
                    heapq.heappush(self._due, (now + max(delay, 0) + COMPLETION_DELAY, draw.pk))
        self._ensure_running()
        self._wake.set()

    def _ensure_running(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="torelik-distributor", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._due_lock:
                wait = max(self._due[0][0] - time.monotonic(), 0) if self._due else None
            self._wake.wait(timeout=wait)
            self._wake.clear()
            try:
                if not self._cases.empty():
                    time.sleep(BATCH_WINDOW)  # let the registrations of the next moments join the batch
                    self._commit_queued()
                self._complete_due()
            except Exception:
                logger.exception("the distributor met an error; `torelik complete-draws` finishes what it left")
            finally:
                connection.close()  # this thread's own connection, not kept while idle

    def _commit_queued(self) -> None:
        ids: list[int] = []
        while len(ids) < actions.BATCH_SIZE:
            try:
                ids.append(self._cases.get_nowait())
            except queue.Empty:
                break
        if not self._cases.empty():
            self._wake.set()  # more than one batch waits
        draws = actions.commit_in_batches([Case(pk=pk) for pk in ids])
        self.complete(draws)

    def _complete_due(self) -> None:
        now = time.monotonic()
        with self._due_lock:
            ids = []
            while self._due and self._due[0][0] <= now:
                ids.append(heapq.heappop(self._due)[1])
        if ids:
            actions.complete_in_batches(list(Draw.objects.filter(pk__in=ids).order_by("beacon_round", "pk")))


_distributor = Distributor()


def distributor() -> Distributor:
    return _distributor
