"""Drop the single-column indexes of Term.case, Term.court and Term.judge: the composite indexes
term_case_status, term_court_status_due and term_judge_status_due lead with each of them. Only the
indexes are dropped (the foreign keys stay as they are, not re-created and re-validated)."""

import django.db.models.deletion
from django.db import migrations, models

# Django's names of the indexes (the same on PostgreSQL and SQLite), with their column.
INDEXES = {
    "deadlines_term_case_id_14509350": "case_id",
    "deadlines_term_court_id_b6edeb5a": "court_id",
    "deadlines_term_judge_id_865705d4": "judge_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_summons_event_kinds"),
        ("courts", "0004_case_category_change"),
        ("deadlines", "0002_rules_and_calendar_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "deadlines_term" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="term",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="terms",
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
                migrations.AlterField(
                    model_name="term",
                    name="court",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.court",
                        verbose_name="court",
                    ),
                ),
                migrations.AlterField(
                    model_name="term",
                    name="judge",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="courts.judge",
                        verbose_name="judge",
                    ),
                ),
            ],
        ),
    ]
