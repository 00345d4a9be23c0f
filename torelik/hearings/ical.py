"""Hearings as iCalendar (RFC 5545), in the court's time zone."""

from collections.abc import Iterable
from functools import cache
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from torelik.core import clock
from torelik.hearings.models import Hearing, HearingStatus
from torelik.hearings.working_hours import court_zone


@cache
def _vtimezone(key: str) -> Timezone:
    """The VTIMEZONE of a zone, built once per process: building it walks the zone's whole history
    of offsets (icalendar asks to cache it), which cost more than the calendar's events."""
    return Timezone.from_tzinfo(ZoneInfo(key))


def hearings_calendar(hearings: Iterable[Hearing], *, name: str) -> bytes:
    """A VCALENDAR of `hearings`; times carry the court's zone (TZID) with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Torelik//Hearings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = clock.now()
    zones: dict[str, None] = {}
    for hearing in hearings:
        court = hearing.courtroom.court
        zone = court_zone(court)
        zones[zone.key] = None
        event = Event()
        event.add("uid", f"{hearing.public_id}@torelik")
        event.add("dtstamp", stamp)
        event.add("dtstart", hearing.starts_at.astimezone(zone))
        event.add("dtend", hearing.ends_at.astimezone(zone))
        summary = _("Hearing of case %(case)s (%(kind)s)") % {
            "case": hearing.case.number,
            "kind": hearing.get_kind_display(),
        }
        event.add("summary", summary)
        event.add(
            "location",
            _("%(court)s, courtroom %(courtroom)s") % {"court": court.name, "courtroom": hearing.courtroom.number},
        )
        event.add("description", _("Judge: %(judge)s") % {"judge": hearing.judge.person.short_name})
        if hearing.status == HearingStatus.POSTPONED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    # Before the events that refer to them, as add_missing_timezones() would put them.
    calendar.subcomponents[0:0] = [_vtimezone(key) for key in zones]
    return bytes(calendar.to_ical())
