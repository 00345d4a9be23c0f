from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostConfig(AppConfig):
    name = "torelik.post"
    label = "post"
    verbose_name = _("Post")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded
        from torelik.core import events
        from torelik.post import handlers

        # In the transaction of the change: a revoked subpoena's letter is withdrawn with it.
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
