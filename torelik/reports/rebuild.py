"""The comparison the rebuild proves agreement with: counters recounted from the journal against the
live ones kept by the handler, and the pending cohorts against the cases' own statuses."""

from dataclasses import dataclass

from torelik.reports.models import PENDING
from torelik.reports.queries import Counted, CounterKey


@dataclass(frozen=True)
class Comparison:
    counters: int
    differences: list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]
    status_differences: list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]
    # How many differ, when the lists hold only the first few (the database's recount brings no more over).
    difference_count: int | None = None
    status_difference_count: int | None = None

    @property
    def agree(self) -> bool:
        return not (self.differences or self.status_differences)

    def summary(self, seconds: float) -> str:
        lines = [
            f"{self.counters} counters recounted from the journal in {seconds:.1f} s",
            "the live counters agree with the journal"
            if not self.differences
            else f"{self.difference_count or len(self.differences)} live counters differ from the journal",
            "the backlog agrees with the cases' statuses"
            if not self.status_differences
            else f"{self.status_difference_count or len(self.status_differences)} backlog counters differ from the "
            "cases' statuses",
        ]
        for key, journal, live in [*self.differences, *self.status_differences][:20]:
            lines.append(f"  {key}: journal {journal}, live or cases {live}")
        return "\n".join(lines)


def _differences(
    left: Counted, right: Counted
) -> list[tuple[CounterKey, tuple[int, int] | None, tuple[int, int] | None]]:
    return [
        (k, left.get(k), right.get(k)) for k in sorted(set(left) | set(right), key=str) if left.get(k) != right.get(k)
    ]


def compare(counted: Counted, live: Counted, from_cases: Counted) -> Comparison:
    backlog = {k: v for k, v in counted.items() if k[0] == PENDING}
    return Comparison(
        counters=len(counted),
        differences=_differences(counted, live),
        status_differences=_differences(backlog, from_cases),
    )
