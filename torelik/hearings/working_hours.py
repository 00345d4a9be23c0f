"""When a court sits: 09:00–18:30 local time, Monday to Friday."""

import datetime as dt
from zoneinfo import ZoneInfo

from torelik.courts.models import Court

OPENS = dt.time(9, 0)
CLOSES = dt.time(18, 30)


def court_zone(court: Court) -> ZoneInfo:
    """The court's local time zone (its region's: Asia/Almaty, or Asia/Qostanay and the west)."""
    region = court.region
    return ZoneInfo(region.time_zone if region is not None and region.time_zone else "Asia/Almaty")


def within_working_hours(*, starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo) -> bool:
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return (
        start.date() == end.date()
        and start.weekday() < 5  # Monday to Friday
        and start.time() >= OPENS
        and end.time() <= CLOSES
    )
