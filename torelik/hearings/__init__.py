"""Hearings: scheduling court sessions, public timetables and participants' calendars."""
