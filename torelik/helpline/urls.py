from django.urls import path

from torelik.helpline import views

app_name = "helpline"

urlpatterns = [
    path("", views.contact, name="contact"),
    path("confirm/", views.confirm, name="confirm"),
    path("follow/", views.follow, name="follow"),
    path("operator/", views.workspace, name="workspace"),
    path("calls/<str:number>/", views.call_page, name="call"),
    path("queue/", views.queue, name="queue"),
    path("register/", views.register, name="register"),
    path("statistics/", views.statistics, name="statistics"),
]
