"""The writ of execution (исполнительный лист) as a document type: the acts context issues it, sealed,
after an act that needs one enters into force."""

from django.db import migrations


def add_writ(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("cases", "DocumentType").objects.update_or_create(
        code="writ_of_execution",
        defaults={
            "name_kk": "Атқару парағы",
            "name_ru": "Исполнительный лист",
            "name_en": "Writ of execution",
            "direction": "outgoing",
            "is_judicial_act": False,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_act_event_kinds")]

    operations = [migrations.RunPython(add_writ, migrations.RunPython.noop)]
