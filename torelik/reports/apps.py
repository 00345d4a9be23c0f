from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "torelik.reports"
    label = "reports"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
        from torelik.core import events
        from torelik.reports import handlers

        events.subscribe(CaseRegistered, handlers.on_case_registered)
        events.subscribe(CaseStatusChanged, handlers.on_status_changed)
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
