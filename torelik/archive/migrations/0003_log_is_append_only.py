"""On PostgreSQL the transparency log's tables refuse UPDATE and DELETE in the database itself, whoever
asks (as the case journal does, migration cases 0002). TRUNCATE is left to database privileges: the test
runner empties tables with it. On SQLite the models and their querysets refuse changes."""

from django.db import migrations

TABLES = [
    "archive_logentry",
    "archive_lognode",
    "archive_checkpoint",
    "archive_checkpointtimestamp",
    "archive_cosignature",
    "archive_fixitycheck",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION torelik_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the body holds a literal `%` (RAISE's placeholder) that psycopg would read as one of its own.
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION torelik_log_is_append_only()",
            params=None,
        )


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS torelik_log_is_append_only()", params=None)


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_transparency_log")]
    operations = [migrations.RunPython(forward, backward)]
