"""The months' roll-ups of the counters (ADR 0090) added from the day rows already kept, so that the
live counters agree with the rebuild's recount without waiting for `rebuild-statistics --replace`."""

from django.db import migrations
from django.db.models import Sum
from django.db.models.functions import TruncMonth

MONTHLY = "m:"
PENDING = "pending"


def add_roll_ups(apps, schema_editor):  # type: ignore[no-untyped-def]
    Counter = apps.get_model("reports", "Counter")
    Counter.objects.filter(figure__startswith=MONTHLY).delete()
    rows = (
        Counter.objects.exclude(figure=PENDING)
        .annotate(month=TruncMonth("day"))
        .values("figure", "month", "court_id", "proceeding_type", "key")
        .annotate(c=Sum("count"), a=Sum("amount"))
        .order_by()
    )
    Counter.objects.bulk_create(
        (
            Counter(
                figure=MONTHLY + r["figure"],
                day=r["month"],
                court_id=r["court_id"],
                proceeding_type=r["proceeding_type"],
                key=r["key"],
                count=r["c"],
                amount=r["a"],
            )
            for r in rows.iterator(chunk_size=20000)
        ),
        batch_size=5000,
    )


def remove_roll_ups(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("reports", "Counter").objects.filter(figure__startswith=MONTHLY).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_counters")]

    operations = [migrations.RunPython(add_roll_ups, remove_roll_ups)]
