from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "torelik.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from torelik.identity import checks  # noqa: F401, PLC0415 - registers the deployment checks
