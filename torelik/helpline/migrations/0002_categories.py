from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from torelik.helpline.categories import load_categories  # noqa: PLC0415

    load_categories(apps.get_model("helpline", "Category"))


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
