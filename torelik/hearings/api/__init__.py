"""JSON API of the hearings context, one router per topic: the public timetable and the scheduling that
changes it, a participant's calendar and secret iCalendar feed, the recorders' log marks and the hearing
record, recording uploads and playback, videoconference join links."""

from ninja import Router

from torelik.hearings.api import feeds, recorders, timetable, uploads, videoconference

router = Router(tags=["hearings"])
# `/hearings/mine` and `/hearings/feed` before `/hearings/{hearing_id}/...` reads them as nothing else.
for topic in (timetable, feeds, recorders, uploads, videoconference):
    router.add_router("", topic.router)
