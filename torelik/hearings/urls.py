"""Pages of the hearings context. Case numbers hold a slash, hence `<path:number>` last in its route."""

from django.urls import path

from torelik.hearings import views

app_name = "hearings"
urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("schedule/", views.schedule, name="schedule"),
    path("facility/", views.facility_hearings, name="facility"),
    path("courts/<str:code>/", views.timetable, name="timetable"),
    path("cases/<path:number>/schedule/", views.schedule_case, name="schedule_case"),
    path("cases/<path:number>/", views.case_hearings, name="case_hearings"),
    path("<uuid:hearing_id>/", views.hearing_page, name="hearing"),
]
