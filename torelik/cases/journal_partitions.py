"""The case journal's yearly partitions on PostgreSQL (ADR 0113): `cases_caseevent` is range-partitioned
on `occurred_at`, one partition a calendar year in UTC (`cases_caseevent_y2026` holds 2026-01-01T00:00Z up
to 2027-01-01T00:00Z) and a DEFAULT partition for whatever falls outside them.

`ensure_journal_partitions` keeps the partitions of the current year and the two after it, once a day from
the workers (`cases.tasks`) and once from the migration that partitions the table. Elsewhere (SQLite, or a
table not partitioned) it does nothing."""

import datetime as dt
import re
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

from torelik.core import clock

JOURNAL = "cases_caseevent"
DEFAULT_PARTITION = f"{JOURNAL}_default"
YEARS_AHEAD = 2
LOCK_TIMEOUT = "5s"
_YEAR_PARTITION = re.compile(rf"^{JOURNAL}_y(\d{{4}})$")


def partition_of(year: int) -> str:
    return f"{JOURNAL}_y{year}"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The partition's range: from the year's first instant in UTC (inclusive) to the next year's (exclusive)."""
    return dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s))", [JOURNAL]
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def partition_years(connection: BaseDatabaseWrapper) -> set[int]:
    """The years that have a partition of their own (the DEFAULT partition is not one)."""
    with connection.cursor() as cursor:
        return _years(cursor)


def ensure_journal_partitions(
    *, years: Iterable[int] = (), now: dt.datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> list[int]:
    """Make the partitions of the current year (UTC) through `YEARS_AHEAD` years after it, and of `years`;
    return the years made. Idempotent. Rows of such a year already in the DEFAULT partition are moved into
    the new one in the same transaction, so creating a partition never fails on them."""
    connection = connections[using]
    if not is_partitioned(connection):
        return []
    first = (now or clock.now()).astimezone(dt.UTC).year
    wanted = set(range(first, first + YEARS_AHEAD + 1)) | set(years)
    made = []
    # In a transaction of its own (the workers' run) the keeper does not wait long for its lock: writers
    # queue behind a waiting lock, and the workers try the task again later. Inside a caller's transaction
    # (the migration, which holds the lock already) it leaves the caller's settings alone.
    brief = not connection.in_atomic_block
    for year in sorted(wanted - partition_years(connection)):
        with transaction.atomic(using=using), connection.cursor() as cursor:
            # Serialises keepers and writers for the moment of the change: creating a partition takes this
            # lock anyway, and taking it first lets the check below see what another keeper just made.
            if brief:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {JOURNAL} IN ACCESS EXCLUSIVE MODE")
            if year in _years(cursor):
                continue
            _add_year(cursor, year)
            made.append(year)
    return made


def _years(cursor: CursorWrapper) -> set[int]:
    cursor.execute(
        "SELECT child.relname FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
        "WHERE pg_inherits.inhparent = to_regclass(%s)",
        [JOURNAL],
    )
    return {int(found.group(1)) for (name,) in cursor.fetchall() if (found := _YEAR_PARTITION.match(name))}


def _add_year(cursor: CursorWrapper, year: int) -> None:
    start, end = year_bounds(year)
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM ONLY {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s)",  # noqa: S608
        [start, end],
    )
    row = cursor.fetchone()
    waiting = bool(row and row[0])
    if not waiting:
        # PostgreSQL checks that the DEFAULT partition holds no row of the new range (none, just read).
        cursor.execute(_create(year))
        return
    # The DEFAULT partition holds rows of the year: detached, it is a table of its own (without the
    # journal's append-only trigger, which belongs to the partitions), so they can leave it for the new
    # partition; attached again, PostgreSQL checks it holds no row of any partition's range.
    columns = ", ".join(_columns(cursor))
    cursor.execute(f"ALTER TABLE {JOURNAL} DETACH PARTITION {DEFAULT_PARTITION}")
    cursor.execute(_create(year))
    cursor.execute(
        f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} WHERE occurred_at >= %s AND occurred_at < %s "  # noqa: S608
        f"RETURNING {columns}) INSERT INTO {JOURNAL} ({columns}) SELECT {columns} FROM moved",
        [start, end],
    )
    cursor.execute(f"ALTER TABLE {JOURNAL} ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT")


def _create(year: int) -> str:
    # DDL takes no parameters: the bounds are written from the year, an int.
    start, end = (f"'{moment.isoformat()}'" for moment in year_bounds(year))
    return f"CREATE TABLE {partition_of(year)} PARTITION OF {JOURNAL} FOR VALUES FROM ({start}) TO ({end})"


def _columns(cursor: CursorWrapper) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
        "AND NOT attisdropped ORDER BY attnum",
        [JOURNAL],
    )
    return [name for (name,) in cursor.fetchall()]
