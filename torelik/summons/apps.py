from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummonsConfig(AppConfig):
    name = "torelik.summons"
    label = "summons"
    verbose_name = _("Subpoenas")
