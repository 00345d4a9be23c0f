from django.urls import path

from torelik.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.public, name="public"),
    path("staff/", views.staff, name="staff"),
    path("staff/committee/", views.committee_form, name="committee"),
    path("staff/regions/<str:code>/", views.region, name="region"),
    path("staff/courts/<str:code>/", views.court, name="court"),
    path("staff/courts/<str:code>/judges/<int:judge_id>/", views.judge, name="judge"),
]
