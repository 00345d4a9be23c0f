"""Pages of the post context."""

from django.urls import path, re_path

from torelik.post import views

app_name = "post"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("track/", views.track, name="track"),
    path("statistics/", views.statistics, name="statistics"),
    path("letters/<uuid:letter_id>/address/", views.readdress, name="readdress"),
    path("letters/<uuid:letter_id>/envelope.pdf", views.envelope, name="envelope"),
    path("courts/<int:court_id>/hand-over/", views.hand_over, name="hand_over"),
    re_path(
        r"^courts/(?P<court_id>\d+)/register/(?P<day>\d{4}-\d{2}-\d{2})\.(?P<fmt>pdf|csv)$",
        views.register,
        name="register",
    ),
]
