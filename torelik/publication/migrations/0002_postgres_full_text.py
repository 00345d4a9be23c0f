"""PostgreSQL only (ADR 0064): the `kazakh` text-search configuration (a copy of `simple`: PostgreSQL
has no Kazakh stemmer, and Russian rules stem Kazakh words wrongly), pg_trgm for names of courts and
categories, and the generated column `search_tsv` with its GIN index. On SQLite nothing: the search
falls back to the lower-cased `search_text`."""

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'kazakh') THEN
            CREATE TEXT SEARCH CONFIGURATION kazakh (COPY = simple);
        END IF;
    END $$""",
    """ALTER TABLE publication_publishedact ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
        to_tsvector(CASE WHEN language = 'kk' THEN 'kazakh'::regconfig ELSE 'russian'::regconfig END, search_text)
    ) STORED""",
    "CREATE INDEX pubact_search_tsv ON publication_publishedact USING gin (search_tsv)",
    "CREATE INDEX pubact_court_name_trgm ON courts_court USING gin (lower(name_ru) gin_trgm_ops)",
    "CREATE INDEX pubact_category_name_trgm ON courts_casecategory USING gin (lower(name_ru) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS pubact_category_name_trgm",
    "DROP INDEX IF EXISTS pubact_court_name_trgm",
    "ALTER TABLE publication_publishedact DROP COLUMN IF EXISTS search_tsv",
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
    dependencies = [("publication", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
