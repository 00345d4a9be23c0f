"""The statistics' charts drawn on the server as SVG: instituted against disposed month by month
(two bars a month), with coordinates written by core.charts.coordinate (a dot in every language)
and every number a person reads formatted in the page's language by the caller."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from torelik.core.charts import coordinate
from torelik.reports.queries import Month

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 48, 24, 10


@dataclass(frozen=True)
class MonthBars:
    label: str
    title: str
    x_instituted: str
    x_disposed: str
    width: str
    y_instituted: str
    h_instituted: str
    y_disposed: str
    h_disposed: str
    label_x: str


@dataclass(frozen=True)
class MonthChart:
    width: int
    height: int
    left: int
    baseline: str
    top_y: str
    top_label: str
    label_y: str
    bars: list[MonthBars]


def month_chart(months: Sequence[Month], *, shown: Callable[[int], str], label: Callable[[Month], str]) -> MonthChart:
    """Two bars a month, instituted (left) and disposed (right), on one scale: the largest fills the height."""
    top = max([max(m.instituted, m.disposed) for m in months] + [0]) or 1
    plot = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    step = (WIDTH - LEFT) / max(len(months), 1)
    bar = step * 0.38
    bars = []
    for index, month in enumerate(months):
        x = LEFT + index * step + step * 0.1
        h1, h2 = plot * month.instituted / top, plot * month.disposed / top
        bars.append(
            MonthBars(
                label=label(month),
                title=f"{label(month)}: {shown(month.instituted)} / {shown(month.disposed)}",
                x_instituted=coordinate(x),
                x_disposed=coordinate(x + bar),
                width=coordinate(bar),
                y_instituted=coordinate(baseline - h1),
                h_instituted=coordinate(h1),
                y_disposed=coordinate(baseline - h2),
                h_disposed=coordinate(h2),
                label_x=coordinate(x + bar),
            )
        )
    return MonthChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=coordinate(baseline),
        top_y=coordinate(TOP + 8),
        top_label=shown(top),
        label_y=coordinate(HEIGHT - 8),
        bars=bars,
    )
