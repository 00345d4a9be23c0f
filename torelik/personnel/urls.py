from django.urls import path

from torelik.personnel import views

app_name = "personnel"

urlpatterns = [
    path("", views.index, name="index"),
    path("courts/<str:code>/", views.staff_table, name="staff_table"),
    path("courts/<str:code>/posts/<int:post_id>/abolish/", views.abolish_post, name="abolish_post"),
    path("people/<str:iin>/", views.person, name="person"),
    path("people/<str:iin>/appoint/", views.appoint, name="appoint"),
    path("people/<str:iin>/decision/", views.decision, name="decision"),
    path("people/<str:iin>/absence/", views.absence, name="absence"),
    path("reports/vacancies/", views.vacancies, name="vacancies"),
    path("reports/terms/", views.terms, name="terms"),
    path("reports/absences/", views.absences, name="absences"),
]
