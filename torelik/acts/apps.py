from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    name = "torelik.acts"
    label = "acts"
    verbose_name = _("Judicial acts")

    def ready(self) -> None:
        from torelik.acts import handlers
        from torelik.cases.events import CaseEventRecorded
        from torelik.core import events

        # In the transaction of the change: a letter delivered with an act is the act's delivery.
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
