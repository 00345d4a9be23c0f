"""Reads that tolerate a few seconds of lag go to a read replica (ADR 0076).

With `DATABASE_REPLICA_URL` set, settings add the `replica` alias and `ReplicaRouter`. A view marked
`@reads_from_replica` (public pages, the deadline dashboards, the distribution monitoring, the court
directory) reads its rows from the replica; everything else, every write, everything inside a
transaction and the accounts and sessions of the request read and write the primary. Without a
replica the mark does nothing. The mark is a context variable, so a worker task or a thread of the
same process never inherits it by accident."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db import connections
from django.db.models import Model

REPLICA = "replica"
_LAG_TOLERANT: ContextVar[bool] = ContextVar("torelik_lag_tolerant", default=False)
# Who is asking, their session and what they may see: always from the primary (a login or a position
# just given must count at once, and a position just taken away must not linger on a lagging replica).
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "contenttypes", "admin"})
PRIMARY_ONLY_MODELS = frozenset({("identity", "user"), ("courts", "staffposition")})

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def lag_tolerant() -> Iterator[None]:
    token = _LAG_TOLERANT.set(True)
    try:
        yield
    finally:
        _LAG_TOLERANT.reset(token)


def reads_from_replica(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with lag_tolerant():
            return view(*args, **kwargs)

    return wrapped


def has_replica() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _LAG_TOLERANT.get() or not has_replica():
            return None
        meta = model._meta
        if meta.app_label in PRIMARY_ONLY_APPS or (meta.app_label, meta.model_name) in PRIMARY_ONLY_MODELS:
            return None
        if connections["default"].in_atomic_block:
            return None  # a read inside a write's transaction sees that transaction
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return None  # a physical replica takes the schema from the primary; `migrate --database` still works
