"""Writes of the operations context: an export of the audit review is itself recorded (ADR 0083)."""

from typing import Any

from django.db import transaction

from torelik.core import clock
from torelik.identity.models import User
from torelik.operations.models import AuditExport


@transaction.atomic
def record_audit_export(*, user: User, filters: dict[str, Any], rows: int) -> AuditExport:
    return AuditExport.objects.create(user=user, at=clock.now(), filters=filters, rows=rows)
