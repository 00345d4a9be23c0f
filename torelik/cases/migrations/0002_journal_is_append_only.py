"""On PostgreSQL the case journal refuses UPDATE and DELETE in the database itself, whoever asks.

TRUNCATE is left to database privileges (the application role should not own the table in
production): the test runner empties tables with it between browser tests. On SQLite the model
and its queryset refuse changes (SQLite triggers would also block the test runner's flush).
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION torelik_case_journal_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the case journal is append-only: % refused on cases_caseevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER case_journal_append_only
    BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION torelik_case_journal_is_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS case_journal_append_only ON cases_caseevent;
DROP FUNCTION IF EXISTS torelik_case_journal_is_append_only();
"""


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the body holds a literal `%` (RAISE's placeholder) that psycopg would read as one of its own.
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
