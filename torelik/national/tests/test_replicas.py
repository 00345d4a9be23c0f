"""Lag-tolerant reads go to the replica, everything else to the primary (ADR 0076), proven with a
second PostgreSQL database standing in for the replica: a court that only the replica has shows on
the public directory and the national dashboard; a write made while reading from the replica lands
on the primary; an account and its session are read from the primary."""

import time
import types
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from psycopg import sql

from torelik.core.replicas import REPLICA, ReplicaRouter, lag_tolerant
from torelik.courts.models import Court, CourtKind, Region, StaffPosition, StaffRole
from torelik.identity.models import User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _libpq(settings: dict[str, object], name: str) -> str:
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def replica() -> Iterator[str]:
    """A copy of the test database under the `replica` alias (as a streaming replica would be)."""
    if connection.vendor != "postgresql":
        pytest.skip("a second PostgreSQL database stands in for the replica")
    primary = dict(connection.settings_dict)
    name = f"{primary['NAME']}_replica"
    connections.close_all()
    admin = _libpq(primary, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        for attempt in range(3):
            # A template must have no other session: an earlier test of this worker may have left one (a
            # forked helper process holding an inherited connection, a finished live server's thread).
            # They are stale by now; end them and copy again.
            try:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(primary["NAME"])
                    )
                )
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 2:
                    raise
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [primary["NAME"]],
                )
                time.sleep(0.5)
    connections.settings[REPLICA] = {**primary, "NAME": name, "TEST": {"MIRROR": None}}
    # The test case allowed the aliases it knew when it began; this one is made here, so its connection
    # gets back the connecting that the test case patched away for unknown aliases.
    patched = BaseDatabaseWrapper.ensure_connection
    cells = [cell.cell_contents for cell in getattr(patched, "__closure__", None) or ()]
    real = next((c for c in cells if getattr(c, "__name__", "") == "ensure_connection"), patched)
    connections[REPLICA].ensure_connection = types.MethodType(real, connections[REPLICA])  # type: ignore[method-assign]
    try:
        with override_settings(DATABASE_ROUTERS=["torelik.core.replicas.ReplicaRouter"]):
            from django.db import router

            router.routers = [ReplicaRouter()]
            yield _libpq(primary, name)
            router.routers = []
    finally:
        if REPLICA in connections:
            connections[REPLICA].close()
        del connections.settings[REPLICA]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_lag_tolerant_pages_read_the_replica_and_writes_go_to_the_primary(replica: str) -> None:
    region = Region.objects.create(code="98", kind="city", name_kk="R", name_ru="R", name_en="R",
                                   centre_kk="C", centre_ru="C", centre_en="C")  # fmt: skip
    supreme = Court.objects.create(code="0001", kind=CourtKind.SUPREME, name_kk="ЖС", name_ru="ВС", name_en="SC")
    Court.objects.create(code="7001", kind=CourtKind.DISTRICT, region=region, name_kk="Негізгі", name_ru="Основной",
                         name_en="Primary only court", search_text="7001 primary only court")  # fmt: skip
    # The replica has a court the primary has not (the primary's is not replicated yet, and vice versa).
    with psycopg.connect(replica, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO courts_court (public_id, created_at, updated_at, code, kind, specialisation, name_kk, name_ru,"
            " name_en, address_kk, address_ru, address_en, phone, email, is_active, search_text) VALUES"
            " (gen_random_uuid(), now(), now(), '7002', 'district', '', 'Көшірме', 'Реплика', 'Replica only court',"
            " '', '', '', '', '', true, '7002 replica only court')"
        )
    # The public directory is marked lag-tolerant: it lists what the replica has.
    page = Client().get("/en/courts/?q=only").content.decode()
    assert "Replica only court" in page
    assert "Primary only court" not in page
    # A page that is not marked reads the primary.
    assert Client().get("/en/courts/7001/").status_code == 200
    assert Client().get("/en/courts/7002/").status_code == 404

    # The account, its session and its positions come from the primary (the replica has never seen them).
    analyst = User.objects.create_user(username="analyst", password="x")  # noqa: S106
    StaffPosition.objects.create(user=analyst, court=supreme, role=StaffRole.ANALYST)
    client = Client()
    client.force_login(analyst)
    national = client.get("/en/deadlines/national/")
    assert national.status_code == 200

    # Inside the lag-tolerant mark, reads go to the replica and writes to the primary.
    with lag_tolerant():
        assert Court.objects.filter(code="7002").exists()
        Court.objects.create(code="7003", kind=CourtKind.DISTRICT, name_kk="Ж", name_ru="Н", name_en="Written")
        assert not Court.objects.filter(code="7003").exists()  # not replicated: the replica is a copy made earlier
    assert Court.objects.filter(code="7003").exists()
    with psycopg.connect(replica) as conn:
        assert conn.execute("SELECT count(*) FROM courts_court WHERE code = '7003'").fetchone() == (0,)
