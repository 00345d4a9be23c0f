"""Rows created once by their natural key, whoever creates them first (people by IIN, companies by
BIN, stored contents by SHA-256); counters incremented in one statement; rows read by plain SQL on the
paths every registration takes, where compiling the ORM's query cost several times what running it
does; and the names (`table`, `column`) every hand-written statement takes from the models (ADR 0032).
With the `queries.py` of each context, the only place where `connection.cursor` is used."""

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connection, models

Row = TypeVar("Row", bound=models.Model)


def created_or_read(new: Mapping[str, Row], key: str) -> dict[str, Row]:
    """The rows of `new` (by the value of their unique field `key`), inserted in one statement; those
    another transaction has just created are read instead. `INSERT … ON CONFLICT DO NOTHING` waits for
    that transaction, takes no savepoint and does not abort ours (both databases). The rows are
    inserted in the order of their key, so that two transactions creating the same rows in another
    order wait for each other instead of deadlocking."""
    if not new:
        return {}
    inserted = _insert_new(sorted(new.values(), key=lambda row: str(getattr(row, key))), key)
    for value, pk in inserted.items():
        row = new[value]
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias
    result = {value: new[value] for value in inserted}
    missing = [value for value in new if value not in inserted]
    if missing:
        model = type(next(iter(new.values())))
        result.update({str(getattr(r, key)): r for r in model._default_manager.filter(**{f"{key}__in": missing})})
    return result


def _insert_new(rows: list[Row], key: str) -> dict[str, int]:
    """Insert `rows`, leaving out those whose `key` exists; the primary key of each inserted, by key."""
    meta = type(rows[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in rows for f in fields]
    column = quote(next(f.column for f in fields if f.name == key))
    assert meta.pk is not None  # noqa: S101 - every model here has one
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([one] * len(rows))} ON CONFLICT ({column}) DO NOTHING "
            f"RETURNING {quote(meta.pk.column)}, {column}",
            params,
        )
        return {str(found_key): pk for pk, found_key in cursor.fetchall()}


def counted(model: type[models.Model], counter: str, **key: Any) -> int:
    """The counter `counter` of the row of `model` whose unique fields `key` hold the values given:
    created with 1, or incremented, in one statement on both databases (`INSERT … ON CONFLICT … DO
    UPDATE … RETURNING`). The row stays locked until the transaction ends, so a rolled-back caller
    gives its number back and two callers never share one."""
    if not key:
        raise ValueError("counted needs the row's unique fields")
    names = [column(model, name) for name in key]
    params = [_column(model, name)[1].get_db_prep_save(value, connection) for name, value in key.items()]
    value = column(model, counter)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(model)} ({', '.join(names)}, {value}) VALUES ({marks}, 1) "  # noqa: S608 - our names
            f"ON CONFLICT ({', '.join(names)}) DO UPDATE SET {value} = {table(model)}.{value} + 1 RETURNING {value}",
            params,
        )
        row = cursor.fetchone()
    return int(row[0])


def added(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], key: Sequence[str], sums: Sequence[str]
) -> None:
    """Add to the rows of `model` the amounts of `sums` each of `rows` gives, each row found by the unique
    fields `key` and created with those amounts when it is not there: one statement for them all on
    both databases (`INSERT … VALUES …, … ON CONFLICT … DO UPDATE SET c = c + excluded.c`), so that
    concurrent writers never lose an addition (the statistics' counters). Rows of one key are added
    together first: a statement may not update a row twice."""
    if not rows or not key or not sums:
        return
    merged: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        values = [_column(model, name)[1].get_db_prep_save(row[name], connection) for name in key]
        found = merged.setdefault(tuple(values), [0] * len(sums))
        for index, name in enumerate(sums):
            found[index] += row[name]
    names = [column(model, name) for name in key]
    counters = [column(model, name) for name in sums]
    marks = "(" + ", ".join(["%s"] * (len(names) + len(counters))) + ")"
    setting = ", ".join(f"{c} = {table(model)}.{c} + excluded.{c}" for c in counters)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(model)} ({', '.join(names + counters)}) "  # noqa: S608 - our names
            f"VALUES {', '.join([marks] * len(merged))} "
            f"ON CONFLICT ({', '.join(names)}) DO UPDATE SET {setting}",
            [value for values, amounts in merged.items() for value in (*values, *amounts)],
        )


def answer_one() -> None:
    """`SELECT 1`: the database answers a statement (readiness, `/readyz`); DatabaseError otherwise."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def advisory_transaction_lock(key: int) -> None:
    """Hold PostgreSQL's advisory lock `key` until the transaction ends (one holder at a time across
    processes and machines). SQLite needs none: its write transactions are IMMEDIATE (settings), so
    writers are one at a time already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def table(model: type[models.Model]) -> str:
    """The model's table, quoted for the database: what plain SQL here names (never an input)."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[models.Model], name: str) -> str:
    """The column of the model's field `name` (a foreign key's `_id` column), quoted for the database:
    what plain SQL here names, so that a renamed field or column changes the statement with it (and a
    field that is gone fails at once, FieldDoesNotExist)."""
    return _column(model, name)[0]


def _column(model: type[models.Model], name: str) -> tuple[str, models.Field[Any, Any]]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return connection.ops.quote_name(field.column), field


def rows_where(model: type[Row], **equal: Any) -> list[Row]:
    """The rows of `model` whose fields (by name) equal the values given (at least one)."""
    if not equal:
        raise ValueError("rows_where needs at least one field to compare")
    where, params = [], []
    for name, value in equal.items():
        column, field = _column(model, name)
        where.append(f"{column} = %s")
        params.append(field.get_db_prep_value(value, connection))
    sql = f"SELECT * FROM {table(model)} WHERE {' AND '.join(where)}"  # noqa: S608 - our table and columns
    return list(model._default_manager.raw(sql, params))


def rows_where_in(model: type[Row], name: str, values: Collection[Any]) -> list[Row]:
    """The rows of `model` whose field `name` holds one of `values`."""
    if not values:
        return []
    column, field = _column(model, name)
    marks = ", ".join(["%s"] * len(values))
    params = [field.get_db_prep_value(value, connection) for value in sorted(values)]
    sql = f"SELECT * FROM {table(model)} WHERE {column} IN ({marks})"  # noqa: S608 - our table and column
    return list(model._default_manager.raw(sql, params))


def hold_lock(name: str, key: int) -> None:
    """Take the lock `(name, key)` until the current transaction ends: whoever takes it next waits, then
    sees what this transaction committed (PostgreSQL's transaction-level advisory lock, keyed by a hash
    of `name`). SQLite needs none: a write transaction already excludes every other writer."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold_lock needs a transaction")
    if connection.vendor != "postgresql":
        return
    space = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::integer, %s::integer)", [space, key])


def mended_from(model: type[models.Model], source: str, key: Sequence[str], values: Sequence[str]) -> int:
    """Make the rows of `model` those of the session's table `source` (its columns named as the model's
    fields' columns), writing only where they differ: the rows `source` lacks deleted, those whose
    `values` differ updated, the missing inserted — three statements in the caller's transaction (the
    statistics' rebuild: a recount that agrees writes nothing). Rows written."""
    if not source.isidentifier():
        raise ValueError(f"{source!r} is not a table of ours")
    keys = [column(model, name) for name in key]
    sums = [column(model, name) for name in values]
    same = " AND ".join(f"s.{c} = t.{c}" for c in keys)
    differs = " OR ".join(f"t.{c} <> s.{c}" for c in sums)
    target = table(model)
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {target} t WHERE NOT EXISTS (SELECT 1 FROM {source} s WHERE {same})")  # noqa: S608
        written += int(cursor.rowcount)
        setting = ", ".join(f"{c} = s.{c}" for c in sums)
        cursor.execute(f"UPDATE {target} t SET {setting} FROM {source} s WHERE {same} AND ({differs})")  # noqa: S608
        written += int(cursor.rowcount)
        names = ", ".join(keys + sums)
        chosen = ", ".join(f"s.{c}" for c in keys + sums)
        cursor.execute(
            f"INSERT INTO {target} ({names}) SELECT {chosen} FROM {source} s "  # noqa: S608 - our names
            f"WHERE NOT EXISTS (SELECT 1 FROM {target} t WHERE {same})"
        )
        written += int(cursor.rowcount)
    return written
