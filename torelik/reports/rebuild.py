"""The comparison the rebuild proves agreement with: counters recounted from the journal against the
live ones kept by the handler, and the pending cohorts against the cases' own statuses."""

from dataclasses import dataclass
from typing import TypeVar

from torelik.reports.queries import CohortKey, Counted, TallyKey


@dataclass(frozen=True)
class Comparison:
    tallies: int
    cohorts: int
    tally_differences: list[tuple[TallyKey, tuple[int, int] | None, tuple[int, int] | None]]
    cohort_differences: list[tuple[CohortKey, int | None, int | None]]
    status_differences: list[tuple[CohortKey, int | None, int | None]]

    @property
    def agree(self) -> bool:
        return not (self.tally_differences or self.cohort_differences or self.status_differences)

    def summary(self, seconds: float) -> str:
        lines = [
            f"{self.tallies} daily counters and {self.cohorts} pending cohorts recounted in {seconds:.1f} s",
            "live counters agree with the journal"
            if not (self.tally_differences or self.cohort_differences)
            else f"{len(self.tally_differences) + len(self.cohort_differences)} counters differ from the journal",
            "pending cohorts agree with the cases' statuses"
            if not self.status_differences
            else f"{len(self.status_differences)} pending cohorts differ from the cases' statuses",
        ]
        for key, journal, live in [*self.tally_differences, *self.cohort_differences][:20]:
            lines.append(f"  {key}: journal {journal}, live {live}")
        return "\n".join(lines)


K = TypeVar("K")
V = TypeVar("V")


def _differences(left: dict[K, V], right: dict[K, V]) -> list[tuple[K, V | None, V | None]]:
    return [
        (k, left.get(k), right.get(k)) for k in sorted(set(left) | set(right), key=str) if left.get(k) != right.get(k)
    ]


def compare(counted: Counted, live: Counted, from_cases: dict[CohortKey, int]) -> Comparison:
    return Comparison(
        tallies=len(counted.tallies),
        cohorts=len(counted.cohorts),
        tally_differences=_differences(counted.tallies, live.tallies),
        cohort_differences=_differences(counted.cohorts, live.cohorts),
        status_differences=_differences(counted.cohorts, from_cases),
    )
