"""Pages of the case file. Case numbers hold a slash (`0215-26-00-2/1`), hence `<path:number>`:
the routes under a case come before the bare case route, and fixed words before any number."""

from django.urls import path

from torelik.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.docket, name="docket"),
    path("register/", views.register_filing, name="register"),
    path("access-log/", views.access_log, name="access_log"),
    path("verify/<uuid:public_id>/<str:secret>/", views.verify_coupon, name="verify"),
    path("<path:number>/coupon.pdf", views.coupon_pdf, name="coupon"),
    path("<path:number>/bag.zip", views.case_bag, name="bag"),
    path("<path:number>/documents/<uuid:document_id>/", views.document_download, name="document"),
    path("<path:number>/judge/", views.case_judge, name="judge"),
    path("<path:number>/documents/add/", views.add_case_document, name="add_document"),
    path("<path:number>/", views.case_detail, name="detail"),
]
