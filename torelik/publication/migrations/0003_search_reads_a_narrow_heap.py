"""PostgreSQL only (ADR 0072): the public index's rows are kept narrow — every long value (the texts,
the spans, the tsvector) moved out of line to TOAST from 128 bytes on — so that counting and grouping
the matches of a word reads a few small heap pages, not the acts' texts; and the planner is told what
`@@` really costs on a tsvector read from TOAST (COST 1000), so that it finds matches through the GIN
index instead of reading every act. Rows written before keep their place until rewritten
(`VACUUM FULL publication_publishedact`). Without the right to alter the function (a managed server),
the cost stays as it was and is said so."""

from typing import Any

from django.db import migrations

NARROW = "ALTER TABLE publication_publishedact SET (toast_tuple_target = 128)"
WIDE = "ALTER TABLE publication_publishedact RESET (toast_tuple_target)"
COST = """DO $$ BEGIN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1000;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'ts_match_vq keeps its cost: no right to alter it (ADR 0072)';
END $$"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NARROW)
        schema_editor.execute(COST)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(WIDE)


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_postgres_full_text")]
    operations = [migrations.RunPython(forward, backward)]
