"""The audit review (ADR 0083): hand-built accesses and actions give the expected rows by person, case
and period; a chairman sees only their own court, the security officer every court and the administration;
bad filters are a translated 400; the CSV export is itself recorded."""

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import translation

from torelik.cases.actions import register_case
from torelik.cases.models import AccessKind, Case, CaseAccess, CaseEvent, CaseEventKind
from torelik.cases.tests.factories import (
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
    staff_user,
)
from torelik.core import clock
from torelik.courts.models import Judge, ProceedingType, StaffRole
from torelik.identity.models import User
from torelik.notifications.actions import resend
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.tests.factories import summons
from torelik.operations.access import AuditScope, audit_scope
from torelik.operations.models import AuditExport
from torelik.operations.queries import AuditFilter, audit_rows, parse_cursor
from torelik.operations.views import _cell

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _case(office: CourtOffice) -> Case:
    with clock.frozen_at(T0):
        return register_case(
            court=office.court, proceeding_type=ProceedingType.CIVIL, category_code=office.category.code,
            parties=claimant_and_defendant(), documents=[claim_document()], actor=office.clerk,
            claim_amount=Decimal("1500000"), subject="О взыскании задолженности",
        )  # fmt: skip


@pytest.fixture
def world() -> dict[str, Any]:
    """Court 0215 (a case, the judge's two openings, one action) and court 0216 (a case and an opening)."""
    a, b = court_office("0215"), court_office("0216")
    case_a, case_b = _case(a), _case(b)
    opened = CaseAccess.objects.create(
        case=case_a, user=a.judge_user, kind=AccessKind.CASE_OPENED, at=T0 + dt.timedelta(days=1), ip_address="10.0.0.5"
    )
    read = CaseAccess.objects.create(
        case=case_a, user=a.judge_user, kind=AccessKind.JOURNAL_READ, at=T0 + dt.timedelta(days=3)
    )
    acted = CaseEvent.objects.create(
        case=case_a, kind=CaseEventKind.STATUS_CHANGED, actor=a.judge_user, occurred_at=T0 + dt.timedelta(days=2)
    )
    CaseAccess.objects.create(case=case_b, user=b.judge_user, kind=AccessKind.CASE_OPENED, at=T0 + dt.timedelta(days=1))
    # The clerk of 0215 resends a failed SMS of case A (the resend is queued on 6 March).
    failed = summons("subpoena:audit", court=a.court, case=case_a)
    Message.objects.filter(pk=failed.pk).update(status=MessageStatus.FAILED)
    with clock.frozen_at(T0 + dt.timedelta(days=4)):
        resent = resend(message=failed, actor=a.clerk)
    return {
        "resent": resent,
        "a": a,
        "b": b,
        "case_a": case_a,
        "case_b": case_b,
        "opened": opened,
        "read": read,
        "acted": acted,
    }


def _security_officer() -> User:
    officer = User.objects.create_user(username="security.officer", password="a-long-passphrase-1")
    officer.user_permissions.add(Permission.objects.get(codename="review_audit_nationally"))
    return User.objects.get(pk=officer.pk)  # a fresh object: the permission cache is empty


def test_a_judges_rows_by_person_and_period_are_the_ones_built(world: dict[str, Any]) -> None:
    a = world["a"]
    scope = AuditScope(court_ids=frozenset({a.court.pk}), administration=False)
    rows = audit_rows(scope, AuditFilter(person="judge.0215"))
    assert [(r.source, r.id) for r in rows] == [
        ("access", world["read"].pk), ("action", world["acted"].pk), ("access", world["opened"].pk)
    ]  # fmt: skip
    assert rows[-1].ip_address == "10.0.0.5"
    assert rows[-1].case_number == world["case_a"].number
    period = AuditFilter(person="judge.0215", since=T0 + dt.timedelta(days=1), until=T0 + dt.timedelta(days=2, hours=1))
    assert [(r.source, r.id) for r in audit_rows(scope, period)] == [
        ("action", world["acted"].pk), ("access", world["opened"].pk)
    ]  # fmt: skip
    # The person by IIN gives the same rows; the clerk's registration is an action of the case too.
    by_iin = AuditFilter(person=a.judge_user.person.iin)
    assert [r.id for r in audit_rows(scope, by_iin)] == [r.id for r in rows]
    by_case = audit_rows(scope, AuditFilter(case_number=world["case_a"].number))
    assert {r.username for r in by_case} == {"judge.0215", "clerk.0215"}
    assert all(r.court_code == "0215" for r in by_case)


def test_a_resent_message_is_the_clerks_action(world: dict[str, Any]) -> None:
    scope = AuditScope(court_ids=frozenset({world["a"].court.pk}), administration=False)
    with translation.override("en"):
        rows = audit_rows(scope, AuditFilter(person="clerk.0215", since=T0 + dt.timedelta(days=1)))
    assert [(r.source, r.id, r.case_number, r.what) for r in rows] == [
        ("resend", world["resent"].pk, world["case_a"].number, "message resent")
    ]
    other = AuditScope(court_ids=frozenset({world["b"].court.pk}), administration=False)
    assert audit_rows(other, AuditFilter(person="clerk.0215")) == []


def test_the_keyset_pages_follow_each_other_without_a_gap_or_a_repeat(world: dict[str, Any]) -> None:
    scope = AuditScope(court_ids=None, administration=True)
    everything = audit_rows(scope, AuditFilter(), limit=1000)
    seen: list[tuple[str, int]] = []
    after = None
    while True:
        page = audit_rows(scope, AuditFilter(after=after), limit=2)
        if not page:
            break
        seen += [(r.source, r.id) for r in page]
        after = parse_cursor(page[-1].cursor)
    assert seen == [(r.source, r.id) for r in everything]
    assert len(seen) == len(set(seen)) >= 7


def test_a_chairman_reviews_their_court_only_and_a_judge_nothing(client: Client, world: dict[str, Any]) -> None:
    a, b = world["a"], world["b"]
    chairman_b = staff_user("chairman.0216", b.court, StaffRole.CHAIRMAN)
    assert audit_scope(chairman_b) == AuditScope(court_ids=frozenset({b.court.pk}), administration=False)
    assert audit_scope(a.judge_user) is None
    client.force_login(chairman_b)
    page = client.get("/ru/operations/audit/").content.decode()
    assert "judge.0216" in page
    assert "judge.0215" not in page
    # Another court's case by its number: nothing, neither on the page nor in the export.
    response = client.get("/ru/operations/audit/", {"case": world["case_a"].number})
    assert response.status_code == 200
    assert "judge.0215" not in response.content.decode()
    export = client.get("/ru/operations/audit/export.csv", {"case": world["case_a"].number})
    assert len(list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))) == 1  # the header only
    client.force_login(a.judge_user)
    assert client.get("/ru/operations/audit/").status_code == 403
    assert client.get("/kk/operations/audit/export.csv").status_code == 403
    client.logout()
    assert client.get("/ru/operations/audit/").status_code == 302


def test_the_security_officer_sees_every_court_and_the_administration(client: Client, world: dict[str, Any]) -> None:
    officer = _security_officer()
    admin = User.objects.create_user(username="admin.torelik", password="a-long-passphrase-1", is_staff=True)
    LogEntry.objects.create(
        user=admin, content_type=ContentType.objects.get_for_model(Judge), object_id="1", object_repr="Судья Ахметов",
        action_flag=CHANGE, change_message='[{"changed": {"fields": ["Reduced share"]}}]',
        action_time=T0 + dt.timedelta(days=4),
    )  # fmt: skip
    client.force_login(officer)
    page = client.get("/en/operations/audit/").content.decode()
    assert "judge.0215" in page
    assert "judge.0216" in page
    assert "admin.torelik" in page
    assert "Changed Reduced share." in page
    with translation.override("en"):
        rows = audit_rows(audit_scope(officer), AuditFilter(person="admin.torelik"))
    assert [(r.source, r.what) for r in rows] == [("administration", "judge: Судья Ахметов")]
    # The workspace links the review for the officer, who holds no position in a court.
    assert 'href="/en/operations/audit/"' in client.get("/en/workspace/").content.decode()
    assert audit_scope(officer) == AuditScope(court_ids=None, administration=True)


def test_bad_dates_and_a_damaged_cursor_are_a_translated_400(client: Client, world: dict[str, Any]) -> None:
    chairman = staff_user("chairman.0215", world["a"].court, StaffRole.CHAIRMAN)
    client.force_login(chairman)
    response = client.get("/ru/operations/audit/", {"since": "2026-13-40"})
    assert response.status_code == 400
    assert "Введите правильную дату" in response.content.decode()
    response = client.get("/kk/operations/audit/", {"since": "2026-03-05", "until": "2026-03-01"})
    assert response.status_code == 400
    assert "Кезеңнің соңғы күні оның бірінші күнінен ерте болмауы тиіс" in response.content.decode()
    assert client.get("/en/operations/audit/", {"after": "nonsense"}).status_code == 400
    assert client.get("/en/operations/audit/export.csv", {"until": "yesterday"}).status_code == 400
    assert not AuditExport.objects.exists()


def test_the_export_writes_the_rows_and_is_recorded(client: Client, world: dict[str, Any]) -> None:
    chairman = staff_user("chairman.0215", world["a"].court, StaffRole.CHAIRMAN)
    client.force_login(chairman)
    moment = T0 + dt.timedelta(days=10)
    with clock.frozen_at(moment):
        response = client.get(
            "/ru/operations/audit/export.csv", {"person": "judge.0215", "since": "2026-03-03", "until": "2026-03-04"}
        )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Момент (UTC)"
    # The action of 4 March and the opening of 3 March; the journal read on 5 March is outside the period.
    assert [(line[0], line[2], line[5], line[8]) for line in lines[1:]] == [
        ("2026-03-04 09:00:00", "judge.0215", world["case_a"].number, ""),
        ("2026-03-03 09:00:00", "judge.0215", world["case_a"].number, "10.0.0.5"),
    ]
    record = AuditExport.objects.get()
    assert (record.user, record.at, record.rows) == (chairman, moment, 2)
    assert record.filters == {"person": "judge.0215", "since": "2026-03-03", "until": "2026-03-04"}


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text() -> None:
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("Исковое заявление") == "Исковое заявление"
