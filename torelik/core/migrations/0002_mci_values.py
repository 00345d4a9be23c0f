"""The MCI values fixed by the republican budget laws (see shared/domain/kazakhstan.md)."""

import datetime as dt
from decimal import Decimal

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

MCI_VALUES = [
    (dt.date(2025, 1, 1), Decimal("3932.00"), "Закон РК «О республиканском бюджете на 2025–2027 годы»"),
    (dt.date(2026, 1, 1), Decimal("4325.00"), "Закон РК «О республиканском бюджете на 2026–2028 годы»"),
]


def add_values(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    index = apps.get_model("core", "MonthlyCalculationIndex")
    for effective_from, amount, basis in MCI_VALUES:
        index.objects.update_or_create(effective_from=effective_from, defaults={"amount": amount, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(add_values, migrations.RunPython.noop)]
