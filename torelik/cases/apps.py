from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "torelik.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from torelik.archive.events import StoredObjectDamaged
        from torelik.cases import handlers
        from torelik.core import events

        # In the audit's transaction: the journal says so with the log's entry.
        events.subscribe(StoredObjectDamaged, handlers.on_stored_object_damaged)
