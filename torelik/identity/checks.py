"""Deployment checks of identity: a production system (DEBUG off) that trusts the demo CA would accept a
signature from keys anyone can make with `torelik pki`, so `manage.py check --deploy` fails on it."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Error as CheckError


@register(Tags.security, deploy=True)
def demo_ca_in_production(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not getattr(settings, "TORELIK_EDS_TRUST_DEMO_CA", False):
        return []
    return [
        CheckError(
            "TORELIK_EDS_TRUST_DEMO_CA is true with DEBUG off: signatures made with the demo CA's keys, which "
            "anyone can issue, would be accepted as citizens' and courts' signatures.",
            hint="Leave TORELIK_EDS_TRUST_DEMO_CA unset in production and configure TORELIK_EDS_TRUST_ROOTS "
            "(NCA of Kazakhstan) and TORELIK_EDS_CRLS.",
            id="torelik.identity.E001",
        )
    ]
