from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    name = "torelik.distribution"
    label = "distribution"
    verbose_name = _("Distribution of cases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from torelik.cases.events import CaseRegistered
        from torelik.core import events
        from torelik.distribution import handlers

        events.subscribe(CaseRegistered, handlers.distribute_registered_case)
