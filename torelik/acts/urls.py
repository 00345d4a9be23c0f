"""Pages of the acts context. Case numbers hold a slash, hence `<path:number>` last in its route."""

from django.urls import path

from torelik.acts import views

app_name = "acts"
urlpatterns = [
    path("verify/<str:token>/", views.verify, name="verify"),
    path("docket/", views.docket, name="docket"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<uuid:appeal_id>/send/", views.send_appeal, name="send_appeal"),
    path("cases/<path:number>/new/", views.new_act, name="new"),
    path("cases/<path:number>/", views.case_acts, name="case_acts"),
    path("<uuid:act_id>/", views.act_page, name="act"),
    path("<uuid:act_id>/read/", views.act_page, name="read"),
    path("<uuid:act_id>/preview.pdf", views.preview, name="preview"),
    path("<uuid:act_id>/act.pdf", views.act_pdf, name="pdf"),
    path("<uuid:act_id>/sign/", views.sign, name="sign"),
    path("<uuid:act_id>/announce/", views.announce, name="announce"),
    path("<uuid:act_id>/delivery/", views.delivery, name="delivery"),
    path("<uuid:act_id>/by-post/", views.by_post, name="by_post"),
    path("<uuid:act_id>/appeal/", views.appeal, name="appeal"),
]
