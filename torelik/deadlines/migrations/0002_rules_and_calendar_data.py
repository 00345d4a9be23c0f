"""The term rules and the declared calendar days shipped in `torelik/deadlines/data/` (see
shared/domain/kazakhstan.md). Later changes to the files are loaded with `torelik load_deadlines_data`."""

import json
from pathlib import Path

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    rule_model = apps.get_model("deadlines", "TermRule")
    rules = json.loads((DATA_DIR / "term_rules.json").read_text(encoding="utf-8"))["rules"]
    for rule in rules:
        values = dict(rule)
        code = values.pop("code")
        rule_model.objects.update_or_create(code=code, defaults=values)
    day_model = apps.get_model("deadlines", "CalendarOverride")
    days = json.loads((DATA_DIR / "calendar_overrides.json").read_text(encoding="utf-8"))["days"]
    for day in days:
        values = dict(day)
        day_model.objects.update_or_create(day=values.pop("day"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
