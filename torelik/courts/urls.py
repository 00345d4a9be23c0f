from django.urls import path

from torelik.courts import views

app_name = "courts"
urlpatterns = [
    path("", views.court_directory, name="directory"),
    path("<str:code>/", views.court_detail, name="detail"),
]
