from django.urls import path

from torelik.access import views

app_name = "access"

urlpatterns = [
    path("entrance/", views.entrance, name="entrance"),
    path("passes/<uuid:visit_id>/", views.visit_pass, name="pass"),
    path("security/", views.security, name="security"),
    path("security/log/", views.day_log, name="log"),
    path("security/bans/", views.bans, name="bans"),
    path("security/devices/", views.devices, name="devices"),
]
