"""Pages of the hearings context."""

from django.urls import path

from torelik.hearings import views

app_name = "hearings"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("schedule/", views.schedule, name="schedule"),
    path("courts/<str:code>/", views.timetable, name="timetable"),
    path("<uuid:hearing_id>/", views.hearing_page, name="hearing"),
]
