"""The plain SQL of the national generator (ADR 0074): COPY of whole tables' rows, blocks of keys from
the tables' own sequences, the case-number counters under lock, and the size the server has for them.
PostgreSQL only: the generator refuses any other database."""

import shutil
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


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


def next_ids(table: str, count: int) -> list[int]:
    """`count` new keys from the table's own sequence, as one block: the generator's processes take
    blocks one at a time (an advisory lock), and a block is taken in one statement. An INSERT elsewhere
    that slipped between its nextval and setval would take a key of the block: the chunk's COPY then
    fails on the primary key, its transaction rolls back, and the run resumes with a new block."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('torelik-national-ids'))")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        row = cursor.fetchone()
    last = int(row[0]) if row else 0
    return list(range(last - count + 1, last + 1))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # names are the generator's constants
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def locked_counters(court_ids: Sequence[int]) -> dict[tuple[int, int, str], int]:
    """The case-number counters of these courts, locked against registrations until the chunk's
    transaction ends (a registration in another court goes on)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT court_id, year, type_code, last FROM cases_casenumbercounter WHERE court_id = ANY(%s) FOR UPDATE",
            [list(court_ids)],
        )
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


def taken_slots() -> set[tuple[int, Any]]:
    """(courtroom, start) of every hearing that occupies its room."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT courtroom_id, starts_at FROM hearings_hearing WHERE status IN ('scheduled', 'held')")
        return {(room, start) for room, start in cursor.fetchall()}


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
