"""How a context declares background work: `@background` makes a task of the Django Tasks API
(`django_tasks`, ADR 0042) and records its retry policy; `@periodic` adds a task to the schedule.

A task takes ids and plain values, and is idempotent: run twice (a retry, a worker killed after the
work but before it said so), it does no harm. Enqueue it with `task.enqueue(...)` inside the
transaction of the change that causes it: the database backend writes the task's row in that
transaction, so a rolled-back change leaves no task and a committed one never loses it.

    @periodic("deadlines.warn", every=dt.timedelta(days=1), at=dt.time(7, 0))
    @background(label=_("Warn of terms due soon or missed"))
    def warn_deadlines() -> None: ...
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.functional import Promise
from django_tasks import task
from django_tasks.base import Task
from typing_extensions import ParamSpec

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_QUEUE = "default"


@dataclass(frozen=True)
class RetryPolicy:
    """How often a failing task is tried, and how long the worker waits between tries: `backoff`
    seconds before the second, doubling each time up to `max_backoff`. After `attempts` tries (a
    worker that died while running it counts as a try) the task is FAILED, for staff to see and retry.

    `coalesce`: waiting copies of the task with the same arguments are done by one run (the task
    sweeps whatever is due, so one run serves every copy enqueued before it started)."""

    attempts: int = 5
    backoff: float = 2.0
    max_backoff: float = 3600.0
    coalesce: bool = False
    label: str | Promise = ""

    def delay(self, attempt: int) -> dt.timedelta:
        """The wait after the `attempt`-th try failed."""
        return dt.timedelta(seconds=min(self.backoff * 2 ** max(attempt - 1, 0), self.max_backoff))


_policies: dict[str, RetryPolicy] = {}


def background(
    *,
    label: str | Promise,
    priority: int = 0,
    queue: str = DEFAULT_QUEUE,
    attempts: int = 5,
    backoff: float = 2.0,
    max_backoff: float = 3600.0,
    coalesce: bool = False,
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Make `func` a task (higher `priority` runs first) with its retry policy; `label` names it for
    staff on the queues page (a translatable phrase)."""

    def wrap(func: Callable[P, T]) -> Task[P, T]:
        made: Task[P, T] = task(priority=priority, queue_name=queue)(func)
        _policies[made.module_path] = RetryPolicy(
            attempts=attempts, backoff=backoff, max_backoff=max_backoff, coalesce=coalesce, label=label
        )
        return made

    return wrap


def policy_of(task_path: str) -> RetryPolicy:
    return _policies.get(task_path, RetryPolicy())


def label_of(task_path: str) -> str:
    """What staff read for a task: its label, or its path for a task this code does not declare."""
    label = _policies.get(task_path, RetryPolicy()).label
    return str(label) if label else task_path


@dataclass(frozen=True)
class Periodic:
    """A job run once per period by whichever worker finds it due first: periods are `every` long and
    start at `at` (local time, from 1 January 2000) — `every=1 day, at=07:00` is 07:00 each day."""

    name: str
    task: Task[[], Any]
    every: dt.timedelta
    at: dt.time

    def period_start(self, moment: dt.datetime) -> dt.datetime:
        """The start of the period that holds `moment`. Counted on the local wall clock, so that a daily
        job stays at its hour whatever the zone's offset was in 2000 or will be."""
        from django.utils import timezone

        zone = timezone.get_default_timezone()
        local = moment.astimezone(zone).replace(tzinfo=None)
        epoch = dt.datetime.combine(dt.date(2000, 1, 1), self.at)
        start = epoch + ((local - epoch) // self.every) * self.every
        return start.replace(tzinfo=zone).astimezone(moment.tzinfo or dt.UTC)


schedule: dict[str, Periodic] = {}


def periodic(name: str, *, every: dt.timedelta, at: dt.time = dt.time(0, 0)) -> Callable[[Task[[], T]], Task[[], T]]:
    """Run this task (it takes no arguments) once per period, however many workers run (ADR 0042)."""
    if every <= dt.timedelta(0):
        raise ValueError("a period must be positive")

    def register(made: Task[[], T]) -> Task[[], T]:
        schedule[name] = Periodic(name=name, task=made, every=every, at=at)
        return made

    return register
