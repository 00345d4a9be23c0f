"""The event bus: contexts react to each other's events without importing each other.

A context publishes a `DomainEvent` inside the transaction of the change. Handlers are
registered in `AppConfig.ready()`; an in-transaction handler writes in the same transaction
(it fails together with the change), an after-commit handler runs only once the change is
committed (the place to enqueue work that talks to the outside world).
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, update_wrapper
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every published event; subclasses are frozen dataclasses of plain values."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]


class EventOutsideTransactionError(RuntimeError):
    """An event was published outside `transaction.atomic()`, so it could outlive a rollback."""


@dataclass(frozen=True)
class _Subscription:
    handler: Handler
    after_commit: bool


_subscriptions: defaultdict[type[DomainEvent], list[_Subscription]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None], *, after_commit: bool = False) -> None:
    """Register `handler` for events of `event_type` (and its subclasses). Idempotent."""
    subscription = _Subscription(handler=handler, after_commit=after_commit)
    if subscription not in _subscriptions[event_type]:
        _subscriptions[event_type].append(subscription)


def unsubscribe(event_type: type[DomainEvent], handler: Handler) -> None:
    _subscriptions[event_type] = [s for s in _subscriptions[event_type] if s.handler is not handler]


def publish(event: DomainEvent, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Deliver `event` to its handlers; must be called inside the transaction of the change."""
    if not connections[using].in_atomic_block:
        raise EventOutsideTransactionError(type(event).__name__)
    for event_type in type(event).__mro__:
        for subscription in list(_subscriptions.get(event_type, ())):
            if subscription.after_commit:
                # Named like the handler: Django's robust hook logs a failing callback's __qualname__.
                hook = update_wrapper(partial(subscription.handler, event), subscription.handler)
                transaction.on_commit(hook, using=using, robust=True)
            else:
                subscription.handler(event)
