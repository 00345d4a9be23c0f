"""URL map: health and API without a language prefix, pages under /kk/, /ru/, /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from config import health, queues, views
from config.api import api, api_not_found
from torelik.identity.login_throttle import ThrottledAdminAuthenticationForm, ThrottledAuthenticationForm
from torelik.operations import views as operations_views

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", operations_views.metrics, name="metrics"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>[\s\S]*)$", api_not_found),  # any character, a newline too
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("courts/", include("torelik.courts.urls")),
    path("cases/", include("torelik.cases.urls")),
    path("distribution/", include("torelik.distribution.urls")),
    path("log/", include("torelik.archive.urls")),
    path("deadlines/", include("torelik.deadlines.urls")),
    path("hearings/", include("torelik.hearings.urls")),
    path("notifications/", include("torelik.notifications.urls")),
    path("post/", include("torelik.post.urls")),
    path("office/", include("torelik.filing.urls")),
    path("summons/", include("torelik.summons.urls")),
    path("helpline/", include("torelik.helpline.urls")),
    path("exchange/", include("torelik.exchange.urls")),
    path("statistics/", include("torelik.reports.urls")),
    path("acts/", include("torelik.publication.urls")),
    path("acts/", include("torelik.acts.urls")),
    path("accounts/eds/", include("torelik.identity.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/queues/", queues.queues, name="queues"),
    path("operations/", include("torelik.operations.urls")),
    path("workspace/queues/<str:task_id>/retry/", queues.retry, name="queues_retry"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
