"""When a court sits: 09:00–18:30 local time, Monday to Friday."""

import datetime as dt
from zoneinfo import ZoneInfo

# One rule for the court's zone, kept in courts (personnel and cases need it too); the many importers of
# this module's name keep theirs.
from torelik.courts.zones import court_zone as court_zone

OPENS = dt.time(9, 0)
CLOSES = dt.time(18, 30)


def within_working_hours(*, starts_at: dt.datetime, ends_at: dt.datetime, zone: ZoneInfo) -> bool:
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return (
        start.date() == end.date()
        and start.weekday() < 5  # Monday to Friday
        and start.time() >= OPENS
        and end.time() <= CLOSES
    )
