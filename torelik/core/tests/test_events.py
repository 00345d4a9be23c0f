"""The event bus: handlers share the transaction of the change; after-commit ones wait for it."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction

from torelik.core import events


@dataclass(frozen=True, kw_only=True)
class CaseThingHappened(events.DomainEvent):
    number: str


@dataclass(frozen=True, kw_only=True)
class SpecialThingHappened(CaseThingHappened):
    pass


@pytest.fixture
def received() -> Iterator[list[str]]:
    seen: list[str] = []

    def in_transaction(event: CaseThingHappened) -> None:
        seen.append(f"now:{event.number}")

    def after_commit(event: CaseThingHappened) -> None:
        seen.append(f"committed:{event.number}")

    events.subscribe(CaseThingHappened, in_transaction)
    events.subscribe(CaseThingHappened, after_commit, after_commit=True)
    yield seen
    events.unsubscribe(CaseThingHappened, in_transaction)
    events.unsubscribe(CaseThingHappened, after_commit)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_commit_handlers_run_only_when_the_change_commits(received: list[str]) -> None:
    with transaction.atomic():
        events.publish(CaseThingHappened(number="1"))
        assert received == ["now:1"]
    assert received == ["now:1", "committed:1"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rolled_back_change_never_reaches_after_commit_handlers(received: list[str]) -> None:
    class Boom(Exception):
        pass

    @transaction.atomic
    def failing_change() -> None:
        events.publish(CaseThingHappened(number="2"))
        raise Boom

    with pytest.raises(Boom):
        failing_change()
    assert received == ["now:2"]


@pytest.mark.django_db
def test_handlers_of_a_base_event_receive_its_subclasses(received: list[str]) -> None:
    with transaction.atomic():
        events.publish(SpecialThingHappened(number="3"))
    assert "now:3" in received


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_outside_a_transaction_is_refused(received: list[str]) -> None:
    with pytest.raises(events.EventOutsideTransactionError):
        events.publish(CaseThingHappened(number="4"))
    assert received == []


@pytest.mark.django_db
def test_subscribing_twice_delivers_once(received: list[str]) -> None:
    def handler(event: CaseThingHappened) -> None:
        received.append("extra")

    events.subscribe(CaseThingHappened, handler)
    events.subscribe(CaseThingHappened, handler)
    try:
        with transaction.atomic():
            events.publish(CaseThingHappened(number="5"))
    finally:
        events.unsubscribe(CaseThingHappened, handler)
    assert received.count("extra") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_after_commit_handler_is_logged_by_name_and_the_change_stands(
    received: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    def breaks(event: CaseThingHappened) -> None:
        raise RuntimeError(f"handler broke on {event.number}")

    events.subscribe(CaseThingHappened, breaks, after_commit=True)
    try:
        with transaction.atomic():
            events.publish(CaseThingHappened(number="3"))
    finally:
        events.unsubscribe(CaseThingHappened, breaks)
    # The other handlers ran; the failure is in the log under the handler's name (not a second error of its own).
    assert received == ["now:3", "committed:3"]
    assert any("breaks" in record.getMessage() for record in caplog.records)
