from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "torelik.filing"
    label = "filing"
    verbose_name = _("Judicial Office")

    def ready(self) -> None:
        from torelik.cases.events import CaseEventRecorded, CaseStatusChanged  # noqa: PLC0415 - apps are loaded here
        from torelik.core import events  # noqa: PLC0415
        from torelik.filing import checks  # noqa: F401, PLC0415 - registers the deployment checks
        from torelik.filing.actions import follow_assignment, follow_status  # noqa: PLC0415

        events.subscribe(CaseEventRecorded, follow_assignment)
        events.subscribe(CaseStatusChanged, follow_status)
