"""Subpoenas get the check code their QR carries; those issued before get one now (their printed QR keeps
the old address, which now asks for the code: the court office gives it to whoever shows the paper)."""

import secrets

from django.db import migrations, models

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def give_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Subpoena = apps.get_model("summons", "Subpoena")
    for subpoena in Subpoena.objects.filter(verify_code="").only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(12))
        Subpoena.objects.filter(pk=subpoena.pk).update(verify_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("summons", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="subpoena",
            name="verify_code",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="verification code"),
        ),
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]
