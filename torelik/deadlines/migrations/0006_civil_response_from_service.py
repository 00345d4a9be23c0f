"""The first shipped rule that starts on `served`: the defendant's response to the claim (ADR 0070).
Databases made before it get the rule from the data file; new ones already have it from 0002."""

import json
from pathlib import Path

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CODES = {"civil-response"}


def load(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    rule_model = apps.get_model("deadlines", "TermRule")
    for rule in json.loads((DATA_DIR / "term_rules.json").read_text(encoding="utf-8"))["rules"]:
        if rule["code"] in CODES:
            values = dict(rule)
            rule_model.objects.update_or_create(code=values.pop("code"), defaults=values)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_served_trigger")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
