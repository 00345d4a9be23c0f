from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "torelik.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from torelik.notifications import sender, worker  # noqa: PLC0415 - models must be loaded first

        worker.set_runner(sender.run_once)
