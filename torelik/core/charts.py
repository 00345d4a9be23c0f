"""Charts drawn on the server as SVG: coordinates written with a dot whatever the page's language
(a localized template would write `42,27`, which no browser reads), and horizontal bars of figures
that pile up (one row per judge, court or region) with the largest figure filling the width."""

from collections.abc import Sequence
from dataclasses import dataclass


def coordinate(value: float) -> str:
    """An SVG number: at most two decimals, a dot as the separator."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float
    shown: str  # the value as the page's language writes it (the template formats it)
    y: str
    width: str
    reference_x: str  # where the reference mark stands (e.g. the expected number), "" when none
    text_y: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    rows: list[BarRow]


ROW = 22
LABEL = 220
WIDTH = 640


def bar_chart(rows: Sequence[tuple[str, float, float | None]], *, width: int = WIDTH) -> BarChart:
    """One bar per (label, value, reference) scaled to the largest value or reference."""
    top = max([v for _label, v, _ref in rows] + [r for _l, _v, r in rows if r is not None] + [0]) or 1
    plot = width - LABEL - 50
    out = []
    for index, (label, value, reference) in enumerate(rows):
        out.append(
            BarRow(
                label=label,
                value=value,
                shown="",
                y=coordinate(index * ROW + 4),
                width=coordinate(plot * value / top),
                reference_x=coordinate(LABEL + plot * reference / top) if reference is not None else "",
                text_y=coordinate(index * ROW + 16),
            )
        )
    return BarChart(width=width, height=max(len(out), 1) * ROW + 8, label_width=LABEL, rows=out)
