from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummonsConfig(AppConfig):
    name = "torelik.summons"
    label = "summons"
    verbose_name = _("Subpoenas")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseRegistered
        from torelik.core import events
        from torelik.summons import handlers

        # In the transaction of the change: subpoenas and their outbox rows commit with the scheduling.
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
        events.subscribe(CaseRegistered, handlers.on_case_registered)
