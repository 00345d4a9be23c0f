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


@dataclass(frozen=True)
class Segment:
    key: str  # which part of the whole (the template colours it and names it in the legend)
    value: float
    x: str
    width: str


@dataclass(frozen=True)
class StackedRow:
    label: str
    total: float
    y: str
    text_y: str
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    label_width: int
    rows: list[StackedRow]


def stacked_chart(
    rows: Sequence[tuple[str, Sequence[tuple[str, float]]]], *, width: int = WIDTH, label_width: int = LABEL
) -> StackedChart:
    """One bar per row made of its parts laid end to end ((key, value) each, zero parts left out), all
    rows on one scale: the largest row's total fills the width, so rows compare by length."""
    top = max([sum(v for _k, v in parts) for _label, parts in rows] + [0]) or 1
    plot = width - label_width - 10
    out = []
    for index, (label, parts) in enumerate(rows):
        x = float(label_width)
        segments = []
        for key, value in parts:
            if value <= 0:
                continue
            length = plot * value / top
            segments.append(Segment(key=key, value=value, x=coordinate(x), width=coordinate(length)))
            x += length
        out.append(
            StackedRow(
                label=label,
                total=sum(v for _k, v in parts),
                y=coordinate(index * ROW + 4),
                text_y=coordinate(index * ROW + 16),
                segments=segments,
            )
        )
    return StackedChart(width=width, height=max(len(out), 1) * ROW + 8, label_width=label_width, rows=out)
