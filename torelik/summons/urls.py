"""Pages of the summons context."""

from django.urls import path

from torelik.summons import views

app_name = "summons"
urlpatterns = [
    path("", views.open_page, name="open"),
    path("s/<uuid:subpoena_id>/", views.subpoena_page, name="subpoena"),
    path("s/<uuid:subpoena_id>/subpoena.pdf", views.subpoena_pdf, name="subpoena_pdf"),
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:number>/<str:code>/", views.verify, name="verify"),
    path("documents/", views.documents, name="documents"),
    path("documents/logout/", views.documents_logout, name="documents_logout"),
    path("documents/<uuid:document_id>/", views.document, name="document"),
    path("statistics/", views.statistics, name="statistics"),
    path("hearings/<uuid:hearing_id>/", views.hearing_subpoenas, name="hearing_subpoenas"),
    path("cases/<path:number>/notices/", views.case_notices, name="case_notices"),
    path("cases/<path:number>/notices/channel/", views.choose_channel, name="choose_channel"),
]
