"""The plain SQL of the national generator (ADR 0074): COPY of whole tables' rows, blocks of keys from
the tables' own sequences, the case-number counters under lock, and the size the server has for them.
The generator refuses any other database than PostgreSQL; the demo's bulk seeding (ADR 0108) writes the
same rows on SQLite too, as batched INSERTs of the values Django would store, keys after the largest."""

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils.dateparse import parse_datetime

SLOT = dt.timedelta(minutes=30)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def has_cases() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM cases_case)")
        row = cursor.fetchone()
    return bool(row and row[0])


def free_bytes() -> int | None:
    """Free bytes where the server keeps its data, when it runs on this machine (else None)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("SHOW data_directory")
            row = cursor.fetchone()
        except Exception:  # noqa: BLE001 - a role without the right to read it: no figure
            return None
    try:
        return shutil.disk_usage(row[0]).free if row else None
    except OSError:
        return None


def next_ids(table: str, count: int, after: int = 0) -> list[int]:
    """`count` new keys from the table's own sequence, as one block: the generator's processes take
    blocks one at a time (an advisory lock), and a block is taken in one statement. An INSERT elsewhere
    that slipped between its nextval and setval would take a key of the block: the chunk's COPY then
    fails on the primary key, its transaction rolls back, and the run resumes with a new block.

    On SQLite (the demo, one writer under the seeding's transaction) the block follows the larger of the
    table's largest key and `after`, the last key of the caller's previous block not yet written."""
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - the generator's table names
            row = cursor.fetchone()
        last = max(int(row[0]) if row else 0, after)
        return list(range(last + 1, last + count + 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('torelik-national-ids'))")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        row = cursor.fetchone()
    last = int(row[0]) if row else 0
    return list(range(last - count + 1, last + 1))


@cache
def _fields(table: str, columns: tuple[str, ...]) -> list[models.Field[Any, Any]]:
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [by_column[column] for column in columns]


# Fields that store a plain int, str, float or bool as it is (no field of ours overrides their preparation).
_AS_GIVEN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField)
_PLAIN = frozenset({int, str, float, bool})


def _as_given(field: models.Field[Any, Any]) -> bool:
    """Whether a plain value goes to this column unchanged (a key to an integer id included)."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return isinstance(field, models.JSONField) or isinstance(target, _AS_GIVEN)


def _stored(field: models.Field[Any, Any], value: Any) -> Any:
    """The value as Django would store it in this database (JSON arrives encoded already)."""
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.get_db_prep_value(value, connection, prepared=False)


def _preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a value of this column is stored: plain values as they are where Django would keep them, an
    aware moment or a date by the backend's own adapter (what the field's preparation ends in), the
    rest by the field. A court day's 10,000 cases spent 8 s preparing ints and strings, and 5 s more
    on the moments' checks for naive values (seed_demo on SQLite, issue 24)."""
    if _as_given(field):
        return lambda v: v if v is None or type(v) in _PLAIN else _stored(field, v)
    if isinstance(field, models.DateTimeField):
        moment = connection.ops.adapt_datetimefield_value
        return lambda v: moment(v) if type(v) is dt.datetime and v.tzinfo is not None else _stored(field, v)
    if isinstance(field, models.DateField):
        day = connection.ops.adapt_datefield_value
        return lambda v: day(v) if type(v) is dt.date else _stored(field, v)
    return lambda v: _stored(field, v)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    if not is_postgresql():
        prepare = [_preparer(f) for f in _fields(table, tuple(columns))]
        marks = ", ".join("%s" for _ in columns)
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - constants
        stored = [[p(v) for p, v in zip(prepare, row, strict=True)] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(statement, stored)
        return
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # names are the generator's constants
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def locked_counters(court_ids: Sequence[int]) -> dict[tuple[int, int, str], int]:
    """The case-number counters of these courts, locked against registrations until the chunk's
    transaction ends (a registration in another court goes on)."""
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT court_id, year, type_code, last FROM cases_casenumbercounter "
                "WHERE court_id = ANY(%s) FOR UPDATE",
                [list(court_ids)],
            )
        else:  # SQLite: the seeding's transaction holds the database's one write lock
            cursor.execute("SELECT court_id, year, type_code, last FROM cases_casenumbercounter")
            wanted = set(court_ids)
            return {(c, y, t): last for c, y, t, last in cursor.fetchall() if c in wanted}
        return {(court, year, code): last for court, year, code, last in cursor.fetchall()}


def save_counters(counters: dict[tuple[int, int, str], int]) -> None:
    if not counters:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO cases_casenumbercounter (court_id, year, type_code, last) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (court_id, year, type_code) DO UPDATE SET last = EXCLUDED.last",
            [(court, year, code, last) for (court, year, code), last in counters.items()],
        )


def existing_identifiers() -> tuple[set[str], set[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT iin FROM identity_person")
        iins = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT bin FROM identity_organisation")
        bins = {row[0] for row in cursor.fetchall()}
    return iins, bins


def _utc(value: str) -> dt.datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def taken_slots() -> tuple[set[tuple[int, Any]], set[tuple[int | None, Any]]]:
    """The half-hours (from a whole or half hour) that hearings occupy, as (courtroom, start) and as
    (judge, start): a hearing of any length takes every half-hour it overlaps, for its room and its judge."""
    rooms: set[tuple[int, Any]] = set()
    judges: set[tuple[int | None, Any]] = set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT courtroom_id, judge_id, starts_at, ends_at FROM hearings_hearing "
            "WHERE status IN ('scheduled', 'held')"
        )
        found = cursor.fetchall()
    for room, judge, starts, ends in found:
        if isinstance(starts, str):  # SQLite keeps UTC without an offset
            starts, ends = (_utc(value) for value in (starts, ends))
        slot = starts.replace(minute=0 if starts.minute < 30 else 30, second=0, microsecond=0)
        while slot < ends:
            rooms.add((room, slot))
            judges.add((judge, slot))
            slot += SLOT
    return rooms, judges


ANALYSED = (
    "cases_case",
    "cases_party",
    "cases_document",
    "cases_caseevent",
    "cases_casenumbercounter",
    "distribution_draw",
    "deadlines_term",
    "hearings_hearing",
    "identity_person",
    "identity_organisation",
)


def analyse() -> None:
    with connection.cursor() as cursor:
        for table in ANALYSED:
            cursor.execute(f"ANALYZE {table}")  # the generator's own table names


def database_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        row = cursor.fetchone()
    return int(row[0]) if row else 0
