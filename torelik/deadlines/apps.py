from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "torelik.deadlines"
    label = "deadlines"
    verbose_name = _("Procedural terms")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
        from torelik.core import events
        from torelik.deadlines import handlers

        events.subscribe(CaseRegistered, handlers.on_case_registered)
        events.subscribe(CaseStatusChanged, handlers.on_status_changed)
        events.subscribe(CaseEventRecorded, handlers.on_case_event)
        # `flush` (between transactional tests) and `migrate` end with post_migrate: the cached
        # rules may point at rows that are gone.
        post_migrate.connect(_forget_cached_tables, dispatch_uid="deadlines-forget-rules")


def _forget_cached_tables(**kwargs: object) -> None:
    from torelik.deadlines.rule_book import forget_rules

    forget_rules()
