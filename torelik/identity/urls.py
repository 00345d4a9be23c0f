"""Pages of the identity context: logging in with a digital signature (EDS)."""

from django.urls import URLPattern

app_name = "identity"
urlpatterns: list[URLPattern] = []
