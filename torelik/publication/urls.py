"""The public acts search and pages, and the review queue; mounted at `acts/` before the acts context's
own pages (which take `<uuid>/` and the named paths)."""

from django.urls import path

from torelik.publication import views

app_name = "publication"
urlpatterns = [
    path("", views.search, name="search"),
    path("published/<uuid:public_id>/", views.act_page, name="act"),
    path("published/<uuid:public_id>/pdf/", views.act_pdf, name="act_pdf"),
    path("correction/<str:token>/", views.correction, name="correction"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<uuid:public_id>/", views.review, name="review"),
]
