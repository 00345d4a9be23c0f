"""The SQL statements of the e-government portal's two requests (a draft with its attachment, then
its signature), pinned so that they cannot silently grow. Counted apart: what other contexts run for
the filing (the archive storing the upload, the case file registering the case); the draw runs after
commit and is not counted."""

import base64
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from torelik.cases.actions import record_case_event
from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from torelik.cases.tests.factories import CLAIMANT_IIN, DEFENDANT_IIN, pdf_bytes
from torelik.core import clock, events
from torelik.filing import actions
from torelik.filing.actions import attachments, follow_assignment, follow_status, submission
from torelik.filing.models import Filing, FilingEvent, FilingStatus
from torelik.filing.tests.conftest import Court3
from torelik.filing.tests.factories import API, Certificate
from torelik.identity.pki import sign_detached

# The filing context's own statements, savepoints included (the request runs in the test's transaction).
# POST /filings: the credential; in one transaction the court, the category, the fee's MCI, the new
# draft inserted filled, its first trail step and its attachments (one insert each); the answer's trail
# is the step just written.
DRAFT_STATEMENTS = 9
# POST /filings/{id}/signature: the credential; the draft read (with its court and category, and whether
# its signature was used already) and its attachments, verified outside any transaction (no lock waits for
# a revocation check); under the lock the draft and its attachments read again and their manifest compared
# with the verified one; the manifest's and signature's files (one insert each), the document types and the
# filer for the case; one update of the filing and one insert of its two trail steps; after the commit its
# trail, read back for the answer (the filing as written when nothing followed the commit).
SIGNATURE_STATEMENTS = 14


def labour_claim(court3: Court3) -> dict[str, Any]:
    return {
        "kind": "claim",
        "filer_iin": CLAIMANT_IIN,
        "court": court3.office.court.code,
        "category": court3.office.category.code,
        "subject": "О восстановлении на работе",
        "fee_exemption": "labour",
        "data": {
            "claims": "Восстановить на работе",
            "circumstances": "Уволена без основания",
            "parties": [{"role": "defendant", "iin": DEFENDANT_IIN, "surname": "Работодатель", "given_name": "Ерлан"}],
        },
        "attachments": [
            {"filename": "claim.pdf", "role": "filing", "content_base64": base64.b64encode(pdf_bytes("claim")).decode()}
        ],
    }


class _Elsewhere:
    """Statements run inside chosen functions of other contexts, counted apart."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.statements = 0

    def count(self, owner: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            before = len(connection.queries)
            try:
                return original(*args, **kwargs)
            finally:
                self.statements += len(connection.queries) - before

        self.monkeypatch.setattr(owner, name, counted)


@contextmanager
def statements() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as captured:
        yield captured


@pytest.fixture
def portal(db: None) -> Client:

    _client, token = actions.create_api_client(name="egov.kz")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_a_draft_and_its_signed_submission_through_the_api_take_a_fixed_number_of_statements(
    court3: Court3, portal: Client, certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = _Elsewhere(monkeypatch)
    elsewhere.count(attachments, "store_file")
    with statements() as created_with:
        created = portal.post(f"{API}/filings", json.dumps(labour_claim(court3)), content_type="application/json")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft"
    assert len(created_with) - elsewhere.statements == DRAFT_STATEMENTS, [q["sql"] for q in created_with]

    elsewhere = _Elsewhere(monkeypatch)
    elsewhere.count(submission, "register_case")
    signature = base64.b64encode(sign_detached(base64.b64decode(draft["manifest_base64"]), certificate())).decode()
    with statements() as signed_with:
        signed = portal.post(
            f"{API}/filings/{draft['id']}/signature",
            json.dumps({"signature_base64": signature}),
            content_type="application/json",
        )
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "registered"
    assert [step["status"] for step in signed.json()["trail"]] == ["draft", "submitted", "registered"]
    assert elsewhere.statements > 0  # the case was registered through the wrapped action
    assert len(signed_with) - elsewhere.statements == SIGNATURE_STATEMENTS, [q["sql"] for q in signed_with]
    filing = Filing.objects.get(public_id=draft["id"])
    assert filing.status == FilingStatus.REGISTERED
    assert list(FilingEvent.objects.filter(filing=filing).order_by("id").values_list("status", flat=True)) == [
        "draft",
        "submitted",
        "registered",
    ]


@pytest.mark.django_db
def test_the_trail_follows_a_case_without_filings_for_at_most_one_read() -> None:
    """Every case's journal entries and changes of status pass by the filing trail: a paper case (no
    filing became it) costs one read on an assignment, and nothing on any other entry or on a change
    of status (to "assigned" on every draw) that is no step of a trail."""
    for kind, expected in [
        (CaseEventKind.REGISTERED, 0),
        (CaseEventKind.DOCUMENT_ADDED, 0),
        (CaseEventKind.STATUS_CHANGED, 0),
        (CaseEventKind.ASSIGNED, 1),
    ]:
        with statements() as run:
            follow_assignment(CaseEventRecorded(case_id=999_999, event_id=999_999, kind=kind))
        assert len(run) == expected, (kind, [q["sql"] for q in run])
    for to, expected in [(CaseStatus.ASSIGNED, 0), (CaseStatus.CLOSED, 0), (CaseStatus.ACCEPTED, 1)]:
        with statements() as run:
            follow_status(CaseStatusChanged(case_id=999_999, from_status=CaseStatus.REGISTERED, to_status=to))
        assert len(run) == expected, (to, [q["sql"] for q in run])


def test_the_trail_follows_a_filed_case_in_one_read_one_update_and_one_insert(
    court3: Court3, portal: Client, certificate: Certificate
) -> None:
    """A filed case's assignment or change of status: its filings read (with the judge's name), then
    one update and one insert of their trail; a change that is no step of the trail reads nothing."""

    draft = portal.post(f"{API}/filings", json.dumps(labour_claim(court3)), content_type="application/json").json()
    signature = base64.b64encode(sign_detached(base64.b64decode(draft["manifest_base64"]), certificate())).decode()
    signed = portal.post(
        f"{API}/filings/{draft['id']}/signature",
        json.dumps({"signature_base64": signature}),
        content_type="application/json",
    )
    assert signed.json()["status"] == "registered"
    filing = Filing.objects.get(public_id=draft["id"])
    case = filing.case
    assert case is not None
    judge = court3.judges[0]
    Case.objects.filter(pk=case.pk).update(judge=judge)
    case_id = case.pk

    def changed(to: str, reason: str = "") -> CaseStatusChanged:
        return CaseStatusChanged(case_id=case_id, from_status=CaseStatus.ASSIGNED, to_status=to, reason=reason)

    row = CaseEvent.objects.create(case=case, kind=CaseEventKind.ASSIGNED, occurred_at=clock.now(), data={})
    assigned = CaseEventRecorded(case_id=case.pk, event_id=row.pk, kind=CaseEventKind.ASSIGNED)
    steps: list[tuple[Callable[[], None], str | None, dict[str, str] | None]] = [
        (lambda: follow_assignment(assigned), FilingStatus.ASSIGNED, {"judge": judge.person.full_name}),
        (lambda: follow_status(changed(CaseStatus.ACCEPTED)), FilingStatus.ACCEPTED, {"reason": ""}),
        (lambda: follow_status(changed(CaseStatus.CLOSED)), None, None),  # not a step of the trail
        (
            lambda: follow_status(changed(CaseStatus.LEFT_WITHOUT_MOTION, "Нет копии")),
            FilingStatus.LEFT_WITHOUT_MOTION,
            {"reason": "Нет копии"},
        ),
    ]
    for follow, status, trail_data in steps:
        with statements() as run:
            follow()
        assert len(run) == (0 if status is None else 3), (status, [q["sql"] for q in run])
        if status is not None:
            last = FilingEvent.objects.filter(filing=filing).order_by("-id").first()
            assert last is not None
            assert (last.status, last.data) == (status, trail_data)
            assert Filing.objects.get(pk=filing.pk).status == status


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_answer_to_a_signature_shows_what_followed_its_commit(
    court3: Court3, portal: Client, certificate: Certificate, mci_2026: None
) -> None:
    """The filing is answered as written only when its trail shows nothing after the submission: a
    judge assigned after the commit (a draw completed at once) is in the answer."""
    judge = court3.judges[0]

    @transaction.atomic
    def assign_at_once(event: CaseRegistered) -> None:
        case = Case.objects.get(pk=event.case_id)
        Case.objects.filter(pk=case.pk).update(judge=judge)
        record_case_event(case=case, kind=CaseEventKind.ASSIGNED, actor=None, data={})

    draft = portal.post(f"{API}/filings", json.dumps(labour_claim(court3)), content_type="application/json").json()
    signature = base64.b64encode(sign_detached(base64.b64decode(draft["manifest_base64"]), certificate())).decode()
    events.subscribe(CaseRegistered, assign_at_once, after_commit=True)
    try:  # the request commits (no test transaction around it): what runs after its commit runs in it
        signed = portal.post(
            f"{API}/filings/{draft['id']}/signature",
            json.dumps({"signature_base64": signature}),
            content_type="application/json",
        )
    finally:
        events.unsubscribe(CaseRegistered, assign_at_once)
    answer = signed.json()
    assert (answer["status"], answer["judge"]) == ("assigned", judge.person.full_name)
    assert [step["status"] for step in answer["trail"]] == ["draft", "submitted", "registered", "assigned"]
    assert answer["case_number"] == Filing.objects.get(public_id=draft["id"]).case.number  # type: ignore[union-attr]
