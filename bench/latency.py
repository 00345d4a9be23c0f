"""Latency samples: percentiles and the summary row that the benchmarks print."""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(sorted_samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (`p` in 0..100) of samples sorted in ascending order."""
    if not sorted_samples:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_samples)))
    return sorted_samples[rank - 1]


@dataclass(frozen=True)
class LatencySummary:
    requests: int
    errors: int
    wall_seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.wall_seconds if self.wall_seconds > 0 else math.nan

    @classmethod
    def of(cls, samples_s: Sequence[float], *, errors: int, wall_seconds: float) -> "LatencySummary":
        ordered = sorted(samples_s)
        return cls(
            requests=len(ordered),
            errors=errors,
            wall_seconds=wall_seconds,
            p50_ms=percentile(ordered, 50) * 1000,
            p95_ms=percentile(ordered, 95) * 1000,
            p99_ms=percentile(ordered, 99) * 1000,
            max_ms=(ordered[-1] * 1000) if ordered else math.nan,
        )


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])
