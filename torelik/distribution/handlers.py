"""Reactions of the distribution context to the case file's events, and the process's distributor.

After a registration commits, its case goes to the distributor of the serving process: a thread
that commits the first draws of the cases gathered in BATCH_WINDOW seconds in one transaction
(`actions.commit_first_draws`), and another that completes them right after their beacon round
(ADR 0031).
Without the thread (TORELIK_DISTRIBUTION_WAIT 0, or a frozen clock, as under `make test`) the
handler commits the draw itself, at once. Nothing here may fail a registration; what cannot
finish stays pending for `torelik complete-draws`.
"""

import atexit
import heapq
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

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

BATCH_WINDOW = 0.5  # seconds the distributor gathers registrations before it commits their draws
COMPLETION_DELAY = 0.05  # seconds after a round's time before its value is asked for
IDLE_SECONDS = 2.0  # after this long without work, a distributor thread closes its database connection


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
    """The process's distribution work, on two threads: one commits the first draws of the queued
    cases in batches, the other completes committed draws once their round is out, so that a slow
    beacon delays no commitment. At the process's exit, what is still queued is committed."""

    def __init__(self) -> None:
        self._cases: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._due: list[tuple[float, int]] = []  # (monotonic moment to complete, draw id)
        self._due_changed = threading.Condition()
        self._threads: dict[str, threading.Thread] = {}
        self._start_lock = threading.Lock()
        self._in_flight: set[int] = set()  # cases taken off the queue by the commit thread, not yet committed
        self._in_flight_lock = threading.Lock()

    def submit(self, case_id: int) -> None:
        self._cases.put(case_id)
        self._ensure_running("commit", self._commit_loop)

    def complete(self, draws: Sequence[Draw]) -> None:
        """Complete these committed draws after their rounds, if that is within the wait."""
        beacon = configured_beacon()
        now, wall = time.monotonic(), clock.now()
        with self._due_changed:
            for draw in draws:
                delay = (round_time(beacon, draw.beacon_round) - wall).total_seconds()
                if draw.status == DrawStatus.COMMITTED and delay <= settings.TORELIK_DISTRIBUTION_WAIT:
                    heapq.heappush(self._due, (now + max(delay, 0) + COMPLETION_DELAY, draw.pk))
            self._due_changed.notify()
        self._ensure_running("complete", self._complete_loop)

    def drain(self) -> None:
        """Commit the draws of the cases still queued (at the process's exit): a registration is never
        left without its commitment because the process stopped. Completion waits for its round, or
        for `torelik complete-draws`."""
        ids = self._take(limit=None)
        with self._in_flight_lock:
            ids += sorted(self._in_flight)  # the commit thread may be stopped in the middle of them
        if ids:
            actions.commit_in_batches([Case(pk=pk) for pk in ids])  # a case committed meanwhile is left as it is

    def _ensure_running(self, name: str, loop: Callable[[], None]) -> None:
        with self._start_lock:
            thread = self._threads.get(name)
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=loop, name=f"torelik-distributor-{name}", daemon=True)
                self._threads[name] = thread
                thread.start()

    def _take(self, *, limit: int | None, first: int | None = None) -> list[int]:
        ids = [] if first is None else [first]
        while limit is None or len(ids) < limit:
            try:
                ids.append(self._cases.get_nowait())
            except queue.Empty:
                break
        return ids

    def _commit_loop(self) -> None:
        while True:
            try:
                first = self._cases.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                connection.close()  # idle: no connection held between bursts of registrations
                first = self._cases.get()
            connection.close_if_unusable_or_obsolete()  # as at a request's start
            with self._in_flight_lock:
                self._in_flight.add(first)
            time.sleep(BATCH_WINDOW)  # let the registrations of the next moments join the batch
            batch = self._take(limit=actions.BATCH_SIZE, first=first)
            with self._in_flight_lock:
                self._in_flight.update(batch)
            try:
                self.complete(actions.commit_in_batches([Case(pk=pk) for pk in batch]))
            except Exception:
                logger.exception("the distributor met an error; `torelik complete-draws` finishes what it left")
            finally:
                with self._in_flight_lock:
                    self._in_flight.difference_update(batch)
                # This thread's own connection is kept while batches follow each other, as a request's
                # is (TORELIK_DB_CONN_MAX_AGE): a new one per batch costs the database a new backend and
                # its cold caches.
                connection.close_if_unusable_or_obsolete()

    def _complete_loop(self) -> None:
        while True:
            with self._due_changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    idle = not self._due
                    self._due_changed.wait(timeout=self._due[0][0] - time.monotonic() if self._due else IDLE_SECONDS)
                    if idle and not self._due:
                        connection.close()  # idle: no connection held between bursts
                now = time.monotonic()
                ids = []
                while self._due and self._due[0][0] <= now:
                    ids.append(heapq.heappop(self._due)[1])
            connection.close_if_unusable_or_obsolete()  # as at a request's start
            try:
                actions.complete_in_batches(list(Draw.objects.filter(pk__in=ids).order_by("beacon_round", "pk")))
            except Exception:
                logger.exception("draws left pending; `torelik complete-draws` will retry")
            finally:
                connection.close_if_unusable_or_obsolete()


_distributor = Distributor()
atexit.register(_distributor.drain)


def distributor() -> Distributor:
    return _distributor
