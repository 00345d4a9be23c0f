"""The case journal partitioned by year on PostgreSQL (migration cases/0022, `cases.queries`, ADR 0113).

Each test's DDL (a partition made, the table rebuilt) is rolled back with its transaction."""

import datetime as dt
import importlib
from typing import Any

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from torelik.cases.actions import register_case
from torelik.cases.models import Case, CaseEvent, CaseEventKind
from torelik.cases.queries import DEFAULT_PARTITION, ensure_journal_partitions
from torelik.cases.tasks import keep_journal_partitions
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.workers.background import schedule

pytestmark = pytest.mark.django_db

MARCH_2026 = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
partitioning = importlib.import_module("torelik.cases.migrations.0022_journal_partitioned_by_year")


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the journal is partitioned on PostgreSQL only; on SQLite it is one table")


def _registered_case() -> Case:
    office = court_office("0215")
    with clock.frozen_at(MARCH_2026):
        ensure_journal_partitions(years=[2026])
        return register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )


def _entry(case: Case, at: dt.datetime) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=CaseEventKind.LINKED, actor=None, occurred_at=at, data={})


def _one(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def _partition_of(event: CaseEvent) -> str:
    return str(_one("SELECT tableoid::regclass::text FROM cases_caseevent WHERE id = %s", [event.pk]))


def _bound(table: str) -> str:
    return str(_one("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = %s::regclass", [table]))


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_caseevent'")
        return {name for (name,) in cursor.fetchall()}


def test_the_keeper_does_nothing_where_the_journal_is_one_table() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the journal is partitioned")
    assert ensure_journal_partitions(now=dt.datetime(2040, 7, 1, tzinfo=dt.UTC)) == []


def test_the_journal_is_range_partitioned_on_its_moment_with_id_and_moment_as_key(postgresql: None) -> None:
    assert (
        _one(
            "SELECT partstrat::text || ':' || a.attname FROM pg_partitioned_table p "
            "JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0] "
            "WHERE p.partrelid = 'cases_caseevent'::regclass"
        )
        == "r:occurred_at"
    )
    assert (
        _one(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cases_caseevent'::regclass "
            "AND contype = 'p'"
        )
        == "PRIMARY KEY (id, occurred_at)"
    )
    assert _bound(DEFAULT_PARTITION) == "DEFAULT"
    # The names Django's migration state knows are the parent's.
    assert {
        "case_event_case_id",
        "case_event_case_moment",
        "case_event_actor_at",
        "case_event_at",
        "cases_caseevent_pkey",
    } <= _index_names()
    assert _one("SELECT pg_get_serial_sequence('cases_caseevent', 'id')") == "public.cases_caseevent_id_seq"


def test_an_entry_lands_in_the_partition_of_its_utc_year(postgresql: None) -> None:
    case = _registered_case()
    registered = CaseEvent.objects.get(case=case, kind=CaseEventKind.REGISTERED)
    assert _partition_of(registered) == "cases_caseevent_y2026"
    ensure_journal_partitions(years=[2031, 2032])
    # 23:30 UTC on New Year's Eve is already 2032 in Almaty (UTC+5): the bounds are UTC's.
    new_years_eve = _entry(case, dt.datetime(2031, 12, 31, 23, 30, tzinfo=dt.UTC))
    new_year = _entry(case, dt.datetime(2032, 1, 1, 0, 0, tzinfo=dt.UTC))
    assert _partition_of(new_years_eve) == "cases_caseevent_y2031"
    assert _partition_of(new_year) == "cases_caseevent_y2032"
    # Through the parent the ORM reads them by its own primary key, `id`.
    assert CaseEvent.objects.get(pk=new_year.pk).occurred_at == dt.datetime(2032, 1, 1, tzinfo=dt.UTC)


def test_the_keeper_makes_the_coming_years_once(postgresql: None) -> None:
    assert ensure_journal_partitions(now=dt.datetime(2040, 7, 1, tzinfo=dt.UTC)) == [2040, 2041, 2042]
    assert ensure_journal_partitions(now=dt.datetime(2040, 12, 31, 23, 59, tzinfo=dt.UTC)) == []
    assert _bound("cases_caseevent_y2041") == (
        "FOR VALUES FROM ('2041-01-01 00:00:00+00') TO ('2042-01-01 00:00:00+00')"
    )
    # The clock is the domain's: frozen, it is the keeper's "now" too.
    with clock.frozen_at(dt.datetime(2043, 1, 1, 0, 0, tzinfo=dt.UTC)):
        assert ensure_journal_partitions() == [2043, 2044, 2045]


def test_the_workers_keep_the_partitions_once_a_day(postgresql: None) -> None:
    assert schedule["cases.journal_partitions"].every == dt.timedelta(days=1)
    with clock.frozen_at(dt.datetime(2070, 3, 1, 1, 15, tzinfo=dt.UTC)):
        assert keep_journal_partitions.call() == {"made": [2070, 2071, 2072]}
        assert keep_journal_partitions.call() == {"made": []}


def test_the_keeper_moves_entries_waiting_in_the_default_partition_into_their_year(postgresql: None) -> None:
    case = _registered_case()
    waiting = [_entry(case, dt.datetime(2050, 5, 5, 9, 0, tzinfo=dt.UTC)) for _ in range(3)]
    later = _entry(case, dt.datetime(2061, 2, 1, tzinfo=dt.UTC))
    assert {_partition_of(entry) for entry in waiting} == {DEFAULT_PARTITION}

    assert ensure_journal_partitions(now=dt.datetime(2050, 1, 1, tzinfo=dt.UTC)) == [2050, 2051, 2052]

    assert {_partition_of(entry) for entry in waiting} == {"cases_caseevent_y2050"}
    assert _partition_of(later) == DEFAULT_PARTITION  # no partition of its own yet
    assert _bound(DEFAULT_PARTITION) == "DEFAULT"  # attached again
    assert CaseEvent.objects.filter(case=case, occurred_at__year=2050).count() == 3
    # The moved entries are as append-only as any: the parent's trigger is on their partition.
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [waiting[0].pk])
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE id = %s", [later.pk])


def test_the_case_pages_journal_query_reads_each_partitions_index(postgresql: None) -> None:
    case = _registered_case()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test's table holds a handful of rows, which a sequential scan reads cheaper: forbid it, so
        # that the plan shows which index of the partition serves the case page's query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = CaseEvent.objects.filter(case=case).order_by("-occurred_at", "-id")[:50].explain()
    assert "cases_caseevent_y2026_case_id" in plan
    assert "Seq Scan on cases_caseevent_y2026" not in plan


def test_the_sequence_goes_on_through_the_parent_and_resets_as_djangos(postgresql: None) -> None:
    case = _registered_case()
    last = CaseEvent.objects.filter(case=case).order_by("-id").values_list("id", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, kind, occurred_at, data) "
            "VALUES (%s, 'linked', %s, '{}') RETURNING id",
            [case.pk, MARCH_2026],
        )
        (raw,) = cursor.fetchone() or (None,)
        for statement in connection.ops.sequence_reset_sql(no_style(), [CaseEvent]):
            cursor.execute(statement)
    assert raw is not None
    assert raw > last
    assert _entry(case, MARCH_2026).pk == raw + 1


def test_the_migration_goes_back_to_one_table_and_forward_again_keeping_every_entry(postgresql: None) -> None:
    case = _registered_case()
    ensure_journal_partitions(years=[2031])
    old = _entry(case, dt.datetime(2031, 6, 1, tzinfo=dt.UTC))
    entries = sorted(CaseEvent.objects.values_list("id", "occurred_at"))
    names = _index_names()
    # The test's own inserts leave their deferred foreign-key checks pending, which DROP TABLE refuses;
    # a migration runs in a transaction of its own and has none.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with connection.schema_editor(atomic=False) as editor:
        partitioning.backward(None, editor)
    assert _one("SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'cases_caseevent'::regclass") == 0
    assert (
        _one(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'cases_caseevent'::regclass "
            "AND contype = 'p'"
        )
        == "PRIMARY KEY (id)"
    )
    assert sorted(CaseEvent.objects.values_list("id", "occurred_at")) == entries
    assert _index_names() == names

    with connection.schema_editor(atomic=False) as editor:
        partitioning.forward(None, editor)
    assert sorted(CaseEvent.objects.values_list("id", "occurred_at")) == entries
    assert _partition_of(old) == "cases_caseevent_y2031"  # the years the rows hold get partitions
    assert _index_names() == names
    with pytest.raises(ProgrammingError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET data = '{}' WHERE id = %s", [old.pk])
    assert _entry(case, MARCH_2026).pk > max(pk for pk, _ in entries)
