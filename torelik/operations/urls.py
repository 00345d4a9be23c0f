from django.urls import path

from torelik.operations import views

app_name = "operations"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
