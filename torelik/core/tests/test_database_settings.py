"""Our PostgreSQL connections run without JIT compiling (ADR 0117): a page's short queries paid 100 ms of
compiling for a 30 ms count at 1M cases."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's; SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        row = cursor.fetchone()
    assert row is not None
    assert row[0] == "off"
