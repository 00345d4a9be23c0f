from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "torelik.exchange"
    label = "exchange"
    verbose_name = _("Exchange with partner agencies")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseStatusChanged
        from torelik.core import events
        from torelik.exchange import handlers

        events.subscribe(CaseEventRecorded, handlers.on_case_event)
        events.subscribe(CaseStatusChanged, handlers.on_status_changed)
