"""Events the archive publishes on the bus: the contexts that hold what a stored object is (the case
file) tell the people concerned."""

from dataclasses import dataclass

from torelik.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class StoredObjectDamaged(DomainEvent):
    """The fixity audit read a stored object whose bytes no longer hash to its address (or found it
    missing); `repaired`: it was put back from the second copy; `log_leaf`: the log entry that says so."""

    sha256: str
    found: str
    repaired: bool
    log_leaf: str
