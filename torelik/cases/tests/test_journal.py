"""The case journal is append-only in the database itself (PostgreSQL trigger of migration cases/0002)."""

import psycopg.errors
import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, ProgrammingError

from torelik.cases.actions import register_case
from torelik.cases.models import Case, CaseEvent, CaseEventKind
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.courts.models import ProceedingType

pytestmark = pytest.mark.django_db


def _registered_case() -> Case:
    office = court_office("0215")
    return register_case(
        court=office.court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document()],
        actor=office.clerk,
    )


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the trigger exists on PostgreSQL only; on SQLite the model and its queryset refuse changes "
            "(test_actions.test_the_journal_cannot_be_changed_through_the_model)"
        )


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        ('UPDATE cases_caseevent SET data = \'{"number": "forged"}\' WHERE case_id = %s', "UPDATE"),
        ("DELETE FROM cases_caseevent WHERE case_id = %s", "DELETE"),
    ],
    ids=["update", "delete"],
)
def test_raw_sql_cannot_change_or_remove_a_journal_entry(postgresql: None, statement: str, operation: str) -> None:
    case = _registered_case()
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.REGISTERED)
    # SQLSTATE 42501 (insufficient_privilege): psycopg raises InsufficientPrivilege, a ProgrammingError,
    # which Django re-raises as django.db.utils.ProgrammingError.
    with pytest.raises(ProgrammingError) as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [case.pk])
    assert f"the case journal is append-only: {operation} refused on cases_caseevent" in str(refused.value)
    assert isinstance(refused.value.__cause__, psycopg.errors.InsufficientPrivilege)
    assert refused.value.__cause__.sqlstate == "42501"
    unchanged = CaseEvent.objects.get(pk=event.pk)
    assert unchanged.data == event.data
    assert unchanged.data["number"] == case.number


def test_a_new_entry_can_still_be_appended_with_raw_sql(postgresql: None) -> None:
    case = _registered_case()
    before = CaseEvent.objects.filter(case=case).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_caseevent (case_id, kind, occurred_at, data) VALUES (%s, 'linked', now(), '{}')",
            [case.pk],
        )
    assert CaseEvent.objects.filter(case=case).count() == before + 1


def test_the_refusal_is_a_database_error_that_rolls_back_only_its_own_statement(postgresql: None) -> None:
    case = _registered_case()
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])
    # The surrounding transaction is usable afterwards: the savepoint took the failure.
    assert CaseEvent.objects.filter(case=case).count() == before
