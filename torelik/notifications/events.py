"""Events the outbox publishes on the bus for the contexts above it (the statistics count SMS by them)."""

from dataclasses import dataclass

from torelik.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MessagesSent(DomainEvent):
    """Messages whose `sent_at` was just set: the gateway took them (or reported them first)."""

    message_ids: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class MessageDelivered(DomainEvent):
    """A message whose `delivered_at` was just set by the network's delivery report."""

    message_id: int
