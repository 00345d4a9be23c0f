from django.urls import path

from torelik.archive import views

app_name = "archive"
urlpatterns = [path("", views.log_page, name="log")]
