"""Pages of the filing context."""

from django.urls import URLPattern

app_name = "filing"
urlpatterns: list[URLPattern] = []
