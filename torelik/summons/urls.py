"""Pages of the summons context."""

from django.urls import URLPattern

app_name = "summons"
urlpatterns: list[URLPattern] = []
