"""A bar chart of subpoenas issued and viewed per day, drawn on the server as inline SVG geometry."""

from dataclasses import dataclass

from torelik.summons.queries import DayCount

WIDTH = 720
HEIGHT = 220
LEFT = 40
BOTTOM = 24
TOP = 10


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    issued_y: float
    issued_height: float
    viewed_y: float
    viewed_height: float
    label: str
    title: str
    show_label: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
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
                x=round(LEFT + index * step + step * 0.1, 2),
                width=round(max(step * 0.8, 1.0), 2),
                issued_y=round(baseline - issued_h, 2),
                issued_height=round(issued_h, 2),
                viewed_y=round(baseline - viewed_h, 2),
                viewed_height=round(viewed_h, 2),
                label=f"{day.day:%d.%m}",
                title=f"{day.day:%d.%m.%Y}: {day.issued} / {day.viewed}",
                show_label=index % label_every == 0,
            )
        )
    return Chart(width=WIDTH, height=HEIGHT, left=LEFT, baseline=baseline, top=TOP, maximum=maximum, bars=bars)
