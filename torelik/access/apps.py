from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    # The label `access` is free: the contexts' `access.py` modules are modules, not apps (ADR 0104).
    name = "torelik.access"
    label = "access"
    verbose_name = _("Building access and visitors")
