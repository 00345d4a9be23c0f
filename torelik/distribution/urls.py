from django.urls import path

from torelik.distribution import views

app_name = "distribution"
urlpatterns = [
    path("monitoring/<str:code>/", views.monitoring, name="monitoring"),
    path("cases/<path:number>/", views.protocol, name="protocol"),
]
