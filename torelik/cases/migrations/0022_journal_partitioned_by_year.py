"""On PostgreSQL the case journal becomes a table range-partitioned by year of `occurred_at` (ADRs 0075, 0113).

The table is rebuilt under the migration's transaction: the old one renamed, the partitioned parent made
with the same columns (its `id` an identity column again, its sequence continuing where the old one
stopped, so `pg_get_serial_sequence('cases_caseevent', 'id')` still names it), a partition for every year
the rows hold and for the current year through two years ahead (`cases.queries.ensure_journal_partitions`), the DEFAULT
partition, the rows copied in one INSERT ... SELECT, the old table dropped, and then, built once over the
loaded partitions, the primary key `(id, occurred_at)` (PostgreSQL wants the partition key in every unique
index), the indexes under the names Django's state knows, the foreign keys and the append-only trigger,
each as the old table had it. Nothing has a foreign key to the journal.

Reversible: backwards the same rebuild makes a plain table with the primary key `(id)`. On SQLite both
directions do nothing (the model is unchanged, so Django's state is too).
"""

from typing import Any

from django.db import migrations

from torelik.cases.queries import DEFAULT_PARTITION, JOURNAL, ensure_journal_partitions

PRIMARY_KEY = f"{JOURNAL}_pkey"


def _rows(cursor: Any, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def rebuild(schema_editor: Any, *, partitioned: bool) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    old = f"{JOURNAL}_{'unpartitioned' if partitioned else 'partitioned'}"
    with connection.cursor() as cursor:
        # What the new table must have, read from the old one before it is renamed (so that each
        # definition still names `cases_caseevent`).
        indexes = _rows(
            cursor,
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = %s::regclass "
            "AND NOT i.indisprimary ORDER BY i.indexrelid",
            [JOURNAL],
        )
        foreign_keys = _rows(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [JOURNAL],
        )
        triggers = _rows(
            cursor,
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "AND tgparentid = 0 ORDER BY tgname",
            [JOURNAL],
        )
        ((sequence,),) = _rows(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [JOURNAL])
        ((last_value, is_called),) = _rows(cursor, f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        ((first_year, last_year),) = _rows(
            cursor,
            f"SELECT extract(year FROM min(occurred_at) AT TIME ZONE 'UTC')::int, "  # noqa: S608
            f"extract(year FROM max(occurred_at) AT TIME ZONE 'UTC')::int FROM {JOURNAL}",
        )

        cursor.execute(f"ALTER TABLE {JOURNAL} RENAME TO {old}")
        cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old}_id_seq")
        like = f"LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE"
        if partitioned:
            cursor.execute(f"CREATE TABLE {JOURNAL} ({like}) PARTITION BY RANGE (occurred_at)")
            cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {JOURNAL} DEFAULT")
        else:
            cursor.execute(f"CREATE TABLE {JOURNAL} ({like})")
        # The new identity's sequence took the free name `cases_caseevent_id_seq`; it goes on from the old one.
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)", [JOURNAL, last_value, is_called])
        if partitioned:
            years = range(first_year, last_year + 1) if first_year is not None else range(0)
            ensure_journal_partitions(years=years, using=connection.alias)

        columns = ", ".join(
            name
            for (name,) in _rows(
                cursor,
                "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped ORDER BY attnum",
                [old],
            )
        )
        # One statement: on a national set (~25 million rows a year of cases) a loop would take hours.
        cursor.execute(f"INSERT INTO {JOURNAL} ({columns}) SELECT {columns} FROM {old}")  # noqa: S608
        cursor.execute(f"DROP TABLE {old} CASCADE")

        key = "(id, occurred_at)" if partitioned else "(id)"
        cursor.execute(f"ALTER TABLE {JOURNAL} ADD CONSTRAINT {PRIMARY_KEY} PRIMARY KEY {key}")
        for (definition,) in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {JOURNAL} ADD CONSTRAINT {name} {definition}")
        for (definition,) in triggers:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {JOURNAL}")


def forward(apps: Any, schema_editor: Any) -> None:
    rebuild(schema_editor, partitioned=True)


def backward(apps: Any, schema_editor: Any) -> None:
    rebuild(schema_editor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("cases", "0021_journal_case_moment_index")]
    operations = [migrations.RunPython(forward, backward)]
