"""A bar chart of subpoenas issued and viewed per day, drawn on the server as inline SVG geometry."""

from dataclasses import dataclass

from torelik.core.charts import coordinate
from torelik.summons.queries import DayCount

WIDTH = 720
HEIGHT = 220
LEFT = 40
BOTTOM = 24
TOP = 10


@dataclass(frozen=True)
class Bar:
    # SVG coordinates as text with a dot (core.charts.coordinate): a kk or ru page would write `42,27`.
    x: str
    width: str
    issued_y: str
    issued_height: str
    viewed_y: str
    viewed_height: str
    label: str
    title: str
    show_label: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: str
    top: int
    maximum: int
    bars: list[Bar]


def day_chart(days: list[DayCount]) -> Chart:
    """One pair of bars (issued behind, viewed in front) per day, scaled to the busiest day."""
    maximum = max((d.issued for d in days), default=0) or 1
    plot_height = HEIGHT - BOTTOM - TOP
    baseline = float(HEIGHT - BOTTOM)
    step = (WIDTH - LEFT) / max(len(days), 1)
    label_every = max(1, len(days) // 10)
    bars = []
    for index, day in enumerate(days):
        issued_h = plot_height * day.issued / maximum
        viewed_h = plot_height * day.viewed / maximum
        bars.append(
            Bar(
                x=coordinate(LEFT + index * step + step * 0.1),
                width=coordinate(max(step * 0.8, 1.0)),
                issued_y=coordinate(baseline - issued_h),
                issued_height=coordinate(issued_h),
                viewed_y=coordinate(baseline - viewed_h),
                viewed_height=coordinate(viewed_h),
                label=f"{day.day:%d.%m}",
                title=f"{day.day:%d.%m.%Y}: {day.issued} / {day.viewed}",
                show_label=index % label_every == 0,
            )
        )
    return Chart(
        width=WIDTH, height=HEIGHT, left=LEFT, baseline=coordinate(baseline), top=TOP, maximum=maximum, bars=bars
    )
