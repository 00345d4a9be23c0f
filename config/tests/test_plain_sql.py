"""ADR 0032: every hand-written statement names its tables and columns through the models (a renamed
column or table changes the statement with it), and `make plain-sql` finds plain SQL and Django's
private ORM state wherever they do not belong."""

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models

from torelik.cases import queries as cases_queries
from torelik.cases.models import Case, Party
from torelik.core.rows import column
from torelik.courts import queries as courts_queries
from torelik.courts.models import CaseCategory, Judge, StaffPosition
from torelik.deadlines import queries as deadlines_queries
from torelik.deadlines.models import CalendarOverride, Term, TermRule
from torelik.distribution import queries as distribution_queries
from torelik.distribution.models import Draw
from torelik.filing import queries as filing_queries
from torelik.filing.models import Filing
from torelik.identity.models import Person
from torelik.post import queries as post_queries
from torelik.post.models import Letter

ROOT = Path(__file__).resolve().parents[2]

# Each statement, how to build it afresh (past its cache), and every column and table it names.
Named = list[tuple[type[models.Model], str]]


def columns(model: type[models.Model], *names: str) -> Named:
    return [(model, name) for name in names]


STATEMENTS: dict[str, tuple[Callable[[], str], Named]] = {
    "courts.holds_role_in": (
        lambda: courts_queries.holds_role_sql.__wrapped__(2),
        columns(StaffPosition, "user", "court", "role", "starts_on", "ends_on"),
    ),
    "cases.reachable_parties": (
        lambda: cases_queries.reachable_sql.__wrapped__(2),
        columns(Party, "id", "person", "case", "role", "phone", "email") + columns(Person, "id", "phone"),
    ),
    "filing.filings_following": (
        lambda: filing_queries.following_sql.__wrapped__(),
        columns(Filing, "id", "case", "status")
        + columns(Case, "id", "judge")
        + columns(Judge, "id", "person")
        + columns(Person, "id", "surname", "given_name", "patronymic"),
    ),
    "distribution.earlier_with_sides": (
        lambda: (
            distribution_queries.earlier_sql.__wrapped__()
            + distribution_queries.side_sql.__wrapped__("person")
            + distribution_queries.side_sql.__wrapped__("organisation")
        ),
        columns(Case, "id", "court", "category", "registered_at", "judge")
        + columns(Draw, "case", "status")
        + columns(Party, "case", "role", "person", "organisation"),
    ),
    "deadlines.case_facts": (
        lambda: deadlines_queries.facts_sql.__wrapped__(),
        columns(Case, "id", "court", "judge", "proceeding_type", "instance", "category")
        + columns(CaseCategory, "id", "code")
        + columns(CalendarOverride, "updated_at")
        + columns(TermRule, "id", "updated_at"),
    ),
    "post.set_letter_states": (
        lambda: post_queries.letter_states_sql.__wrapped__(2, connection.vendor),
        columns(Letter, "id", *post_queries.STATE_FIELDS),
    ),
    "deadlines.set_judge_of_open_terms": (
        lambda: deadlines_queries.judge_of_open_terms_sql.__wrapped__(2),
        columns(Term, "judge", "case", "status") + columns(Case, "judge", "id"),
    ),
}


@pytest.mark.parametrize(
    ("statement", "model", "name"),
    [(statement, model, name) for statement, (_build, named) in STATEMENTS.items() for model, name in named],
)
def test_a_statement_follows_a_renamed_column(
    monkeypatch: pytest.MonkeyPatch, statement: str, model: type[models.Model], name: str
) -> None:
    build, _named = STATEMENTS[statement]
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    monkeypatch.setattr(field, "column", "renamed_in_a_migration")
    assert connection.ops.quote_name("renamed_in_a_migration") in build()


@pytest.mark.parametrize(
    ("statement", "model"),
    sorted(
        {(statement, model) for statement, (_build, named) in STATEMENTS.items() for model, _name in named}, key=str
    ),
)
def test_a_statement_follows_a_renamed_table(
    monkeypatch: pytest.MonkeyPatch, statement: str, model: type[models.Model]
) -> None:
    build, _named = STATEMENTS[statement]
    monkeypatch.setattr(model._meta, "db_table", "renamed_table")
    assert connection.ops.quote_name("renamed_table") in build()


def test_a_field_that_is_gone_fails_at_once() -> None:
    with pytest.raises(FieldDoesNotExist):
        column(StaffPosition, "starts_at")


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_plain_sql", ROOT / "tools" / "check_plain_sql.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("path", "source", "breaches"),
    [
        ("torelik/cases/actions.py", "with connection.cursor() as c:\n    c.execute('SELECT 1')\n", 1),
        ("torelik/cases/queries.py", "with connection.cursor() as c:\n    c.execute('SELECT 1')\n", 0),
        ("torelik/core/rows.py", "with connection.cursor() as c:\n    pass\n", 0),
        ("config/health.py", "connections['default'].cursor()\n", 1),
        ("torelik/filing/queries.py", "held._result_cache = steps\nheld._prefetch_done = True\n", 2),
        ("torelik/filing/actions/drafts.py", "held = filing._state.fields_cache\n", 1),
        ("torelik/filing/api.py", "filing.__dict__.get('_prefetched_objects_cache', {})\n", 1),
        ("torelik/cases/models.py", "if not self._state.adding:\n    pass\nx = row._state.db\n", 0),
        ("torelik/core/rows.py", "row._state.fields_cache = {}\nqs._result_cache = []\n", 0),
    ],
)
def test_the_check_finds_plain_sql_and_private_state_where_they_do_not_belong(
    checker: ModuleType, path: str, source: str, breaches: int
) -> None:
    assert len({line for line, _what in checker.breaches(source, Path(path))}) == breaches


def test_the_code_as_it_stands_keeps_the_rule(checker: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert checker.main() == 0, capsys.readouterr().out
