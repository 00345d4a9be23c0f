"""Hearings as iCalendar (RFC 5545), in the court's time zone."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from torelik.core import clock
from torelik.hearings.models import Hearing, HearingStatus
from torelik.hearings.working_hours import court_zone


def hearings_calendar(hearings: Iterable[Hearing], *, name: str) -> bytes:
    """A VCALENDAR of `hearings`; times carry the court's zone (TZID) with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Torelik//Hearings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = clock.now()
    for hearing in hearings:
        court = hearing.courtroom.court
        zone = court_zone(court)
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
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
