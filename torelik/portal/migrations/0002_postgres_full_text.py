"""PostgreSQL only (ADR 0106): the library's generated `search_tsv` — the same text in the `russian` and in
our `kazakh` configuration (publication's migration 0002 creates it), since an item carries both languages —
with its GIN index. On SQLite nothing: the search reads the lower-cased `search_text`."""

from typing import Any

from django.db import migrations

FORWARD = [
    """ALTER TABLE portal_practiceitem ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('russian'::regconfig, search_text) || to_tsvector('kazakh'::regconfig, search_text)
    ) STORED""",
    "CREATE INDEX portal_item_search_tsv ON portal_practiceitem USING gin (search_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS portal_item_search_tsv",
    "ALTER TABLE portal_practiceitem DROP COLUMN IF EXISTS search_tsv",
]


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("publication", "0002_postgres_full_text")]
    operations = [migrations.RunPython(forward, backward)]
