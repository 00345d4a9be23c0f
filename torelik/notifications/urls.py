"""Pages of the notifications context."""

from django.urls import path

from torelik.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<uuid:message_id>/resend/", views.resend, name="resend"),
]
