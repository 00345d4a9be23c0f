"""Deployment checks of the Judicial Office: the sandbox payment gateway takes test cards, so a
production system (DEBUG off) that enables it by giving it a secret is warned at
`manage.py check --deploy`."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def sandbox_payments_in_production(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or not getattr(settings, "TORELIK_PAYMENT_SANDBOX_SECRET", ""):
        return []
    return [
        CheckWarning(
            "The sandbox payment gateway is enabled (TORELIK_PAYMENT_SANDBOX_SECRET is set) with DEBUG off: "
            "its test cards would pay real state fees.",
            hint="Leave TORELIK_PAYMENT_SANDBOX_SECRET empty in production and connect a real payment gateway.",
            id="torelik.filing.W001",
        )
    ]
