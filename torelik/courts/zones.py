"""A court's local time zone: its region's (Asia/Almaty, or Asia/Aqtobe and the other western zones),
the country's (`settings.TIME_ZONE`) when the region has none or names one this server does not know.
The day of a court's act, absence or hearing is the day on its own clock, not the server's."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from torelik.courts.models import Court


def court_zone(court: Court) -> ZoneInfo:
    """The time zone of the court's region (the country's if the region has none or an unknown one)."""
    name = court.region.time_zone if court.region is not None and court.region.time_zone else settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)
