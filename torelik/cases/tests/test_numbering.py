"""Case numbers are gap-free and unique within a court's series, even under concurrent registration."""

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from torelik.cases import actions
from torelik.cases.actions import register_case
from torelik.cases.models import Case, CaseNumberCounter
from torelik.cases.tests.factories import (
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
    ensure_claim_document_type,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType

THREADS = 8
REGISTRATIONS_PER_THREAD = 5
THREAD_TIMEOUT_S = 120.0


@pytest.fixture
def document_types() -> None:
    ensure_claim_document_type()


def _register(office: CourtOffice, text: str = "claim") -> Case:
    return register_case(
        court=office.court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document(text)],
        actor=office.clerk,
        claim_amount=Decimal("250000"),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_every_number_once_and_leave_no_gap(document_types: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL; this run uses SQLite")
    office = court_office("0215")
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def clerk_at_work(worker: int) -> None:
        try:
            start.wait(timeout=THREAD_TIMEOUT_S)
            for index in range(REGISTRATIONS_PER_THREAD):
                # Each filing has its own content, so the file store is exercised concurrently as well.
                case = _register(office, text=f"claim {worker}-{index}")
                with lock:
                    numbers.append(case.number)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=clerk_at_work, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT_S)
    assert not any(thread.is_alive() for thread in threads), "a registration hung"
    assert not failures, failures

    total = THREADS * REGISTRATIONS_PER_THREAD
    sequences = sorted(Case.objects.filter(court=office.court).values_list("sequence", flat=True))
    assert sequences == list(range(1, total + 1))
    assert len(set(numbers)) == len(numbers) == total
    year = clock.today().year
    assert sorted(numbers) == sorted(f"0215-{year % 100:02d}-00-2/{n}" for n in range(1, total + 1))
    assert CaseNumberCounter.objects.get(court=office.court).last == total


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_registration_that_fails_after_taking_a_number_gives_it_back(
    document_types: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = court_office("0215")
    assert _register(office).sequence == 1

    def power_cut(**kwargs: Any) -> None:
        raise RuntimeError("power cut while writing the journal")

    with monkeypatch.context() as patched:
        patched.setattr(actions, "record_case_event", power_cut)
        with pytest.raises(RuntimeError):
            _register(office)
    assert Case.objects.count() == 1
    assert CaseNumberCounter.objects.get(court=office.court).last == 1
    assert _register(office).sequence == 2


@pytest.mark.django_db
def test_series_are_separate_per_court_and_proceeding_type() -> None:
    first = court_office("0215")
    second = court_office("0216")
    assert [_register(first).number[-4:], _register(second).number[-4:], _register(first).number[-4:]] == [
        "-2/1",
        "-2/1",
        "-2/2",
    ]
