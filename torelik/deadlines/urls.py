"""Pages of the deadlines context. Case numbers hold a slash, hence `<path:number>` last."""

from django.urls import path

from torelik.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.home, name="home"),
    path("judge/", views.judge, name="judge"),
    path("warnings/", views.warnings, name="warnings"),
    path("courts/<str:code>/", views.court, name="court"),
    path("regions/<str:code>/", views.region, name="region"),
    path("national/", views.national, name="national"),
    path("cases/<path:number>/", views.case_terms, name="case"),
]
