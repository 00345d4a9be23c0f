"""Pages of the identity context: logging in with a digital signature (EDS)."""

from django.urls import URLPattern, path

from torelik.identity import views

app_name = "identity"
urlpatterns: list[URLPattern] = [
    path("login/", views.eds_login, name="eds_login"),
    path("staff/", views.staff_eds_login, name="staff_eds_login"),
]
