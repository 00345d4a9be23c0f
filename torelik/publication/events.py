"""Events the publication publishes on the bus for the contexts above it (the statistics)."""

import datetime as dt
from dataclasses import dataclass

from torelik.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ActPublished(DomainEvent):
    """A depersonalised act put on the public site: the publication journal's entry `published`, with
    what the statistics count it by (so that counting it reads nothing)."""

    published_act_id: int
    court_id: int
    proceeding_type: str
    occurred_at: dt.datetime
