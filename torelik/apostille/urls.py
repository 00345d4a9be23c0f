"""Pages of apostilles: the applicant's (Judicial Office, PSC), the court office's, the public register."""

from django.urls import path

from torelik.apostille import views

app_name = "apostille"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new_request, name="new"),
    path("verify/", views.verify, name="verify"),
    path("psc/", views.psc, name="psc"),
    path("office/", views.office, name="office"),
    path("office/<uuid:request_id>/", views.office_request, name="office_request"),
    path("<uuid:request_id>/", views.request_page, name="request"),
    path("<uuid:request_id>/pay/", views.pay, name="pay"),
    path("<uuid:request_id>/apostille.pdf", views.download, name="download"),
]
