"""Pages of the Judicial Office. Case numbers hold a slash, hence `<path:number>` last."""

from django.urls import path

from torelik.filing import views

app_name = "filing"
urlpatterns = [
    path("", views.office, name="office"),
    path("new/", views.new_filing, name="new"),
    path("statistics/", views.statistics, name="statistics"),
    path("psc/", views.psc, name="psc"),
    path("phone/", views.my_phone, name="phone"),
    path("sandbox-pay/<str:order_id>/", views.sandbox_pay, name="sandbox_pay"),
    path("filings/<uuid:filing_id>/", views.filing_page, name="filing"),
    path("filings/<uuid:filing_id>/attachments/", views.upload_attachment, name="upload"),
    path(
        "filings/<uuid:filing_id>/attachments/<uuid:attachment_id>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    path("filings/<uuid:filing_id>/pay/", views.pay, name="pay"),
    path("filings/<uuid:filing_id>/receipt/", views.receipt, name="receipt"),
    path("filings/<uuid:filing_id>/sign/", views.sign, name="sign"),
    path("filings/<uuid:filing_id>/psc/", views.psc_confirm, name="psc_confirm"),
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/<path:number>/", views.my_case, name="my_case"),
]
