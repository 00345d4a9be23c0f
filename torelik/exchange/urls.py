"""Pages of the exchange context: outbound events and dead letters, partner clients, letters."""

from django.urls import path

from torelik.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("events/<uuid:event_id>/", views.event_page, name="event"),
    path("letters/", views.register, name="letters"),
    path("letters/new/", views.write, name="write"),
    path("letters/incoming/new/", views.register_incoming, name="incoming"),
    path("letters/<uuid:letter_id>/", views.letter, name="letter"),
    path("letters/<uuid:letter_id>/send-again/", views.send_again, name="send_again"),
    path("clients/", views.partner_clients, name="clients"),
    path("clients/<uuid:client_id>/", views.partner_client, name="client"),
    path("clients/<uuid:client_id>/revoke/", views.revoke, name="revoke"),
]
