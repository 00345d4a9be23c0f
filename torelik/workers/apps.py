from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "torelik.workers"
    label = "workers"
    verbose_name = _("Background work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from torelik.workers import runner

        if settings.TORELIK_TASKS_INLINE:
            runner.run_inline_after_commit()
