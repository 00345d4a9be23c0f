"""Pages of the exchange context."""

from django.urls import path

from torelik.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("events/<uuid:event_id>/", views.event_page, name="event"),
]
