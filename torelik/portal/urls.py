from django.urls import path

from torelik.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("library/", views.library, name="library"),
    path("library/new/", views.edit_item, name="new_item"),
    path("library/<str:public_id>/", views.item, name="item"),
    path("library/<str:public_id>/edit/", views.edit_item, name="edit_item"),
    path("announcements/new/", views.edit_announcement, name="new_announcement"),
    path("announcements/<str:public_id>/", views.announcement, name="announcement"),
    path("announcements/<str:public_id>/edit/", views.edit_announcement, name="edit_announcement"),
    path("announcements/<str:public_id>/read/", views.confirm_read, name="confirm_read"),
    path("announcements/<str:public_id>/files/<str:attachment_id>/", views.attachment, name="attachment"),
    path("cases/<path:number>/practice/", views.case_practice, name="case_practice"),
]
