from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "torelik.workers"
    label = "workers"
    verbose_name = _("Background work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.module_loading import autodiscover_modules

        from torelik.workers import runner

        # Every context's tasks.py, in every process: the retry policies, the labels staff read on the
        # queues page and the schedule are declared there.
        autodiscover_modules("tasks")
        from django_tasks.signals import task_enqueued

        task_enqueued.connect(runner.record_origin, dispatch_uid="torelik-task-origin")
        if settings.TORELIK_TASKS_INLINE:
            runner.run_inline_after_commit()
