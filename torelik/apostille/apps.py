from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApostilleConfig(AppConfig):
    name = "torelik.apostille"
    label = "apostille"
    verbose_name = _("Apostilles")
