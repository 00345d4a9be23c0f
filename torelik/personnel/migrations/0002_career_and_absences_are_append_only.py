"""On PostgreSQL the career journal and the absences refuse UPDATE and DELETE in the database itself,
as the case journal does (cases 0002): a career line or an absence entered after the fact cannot be
re-dated. On SQLite the models refuse it."""

from django.db import migrations

TABLES = ("personnel_careerentry", "personnel_absence")

FORWARD = """
CREATE OR REPLACE FUNCTION torelik_personnel_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'personnel records are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION torelik_personnel_is_append_only();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
        for table in TABLES:
            schema_editor.execute(TRIGGER.format(table=table), params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS torelik_personnel_is_append_only();", params=None)


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
