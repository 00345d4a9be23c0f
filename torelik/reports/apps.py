from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "torelik.reports"
    label = "reports"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
        from torelik.core import events
        from torelik.notifications.events import MessageDelivered, MessagesSent
        from torelik.publication.events import ActPublished
        from torelik.reports import handlers

        events.subscribe(CaseRegistered, handlers.on_case_registered)
        events.subscribe(CaseStatusChanged, handlers.on_status_changed)
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
        events.subscribe(ActPublished, handlers.on_act_published)
        events.subscribe(MessagesSent, handlers.on_messages_sent)
        events.subscribe(MessageDelivered, handlers.on_message_delivered)
