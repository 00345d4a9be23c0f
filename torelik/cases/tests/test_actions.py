"""Registering cases, numbering, transitions, documents and the journal."""

import io
from decimal import Decimal

import pytest
from django.db import transaction

from torelik.cases.actions import (
    DocumentInput,
    PartyInput,
    change_status,
    correct_document,
    register_case,
)
from torelik.cases.errors import CaseError, CaseErrorCode, CaseForbiddenError
from torelik.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Document,
    ImmutableRowError,
    Party,
    PartyRole,
)
from torelik.cases.statuses import roles_for
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
    pdf_bytes,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType, StaffRole
from torelik.identity.models import Person

pytestmark = pytest.mark.django_db


def _register(office: CourtOffice, **overrides: object) -> Case:
    arguments: dict[str, object] = {
        "court": office.court,
        "proceeding_type": ProceedingType.CIVIL,
        "category_code": office.category.code,
        "parties": claimant_and_defendant(),
        "documents": [claim_document()],
        "actor": office.clerk,
        "claim_amount": Decimal("1500000"),
        "subject": "О взыскании задолженности по договору подряда",
    }
    arguments.update(overrides)
    return register_case(**arguments)  # type: ignore[arg-type]


def test_paper_claim_becomes_a_numbered_case_with_parties_documents_and_journal() -> None:
    office = court_office("0215")
    import datetime as dt

    with clock.frozen_at(dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)):
        case = _register(office)
    assert case.number == "0215-26-00-2/1"
    assert case.status == CaseStatus.REGISTERED
    assert [(p.role, p.identifier) for p in case.parties.order_by("id")] == [
        (PartyRole.CLAIMANT, CLAIMANT_IIN),
        (PartyRole.DEFENDANT, COMPANY_BIN),
    ]
    document = case.documents.get()
    assert document.page_count == 3
    assert document.file.media_type == "application/pdf"
    assert len(document.file.sha256) == 64
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.REGISTERED)
    assert event.kind == CaseEventKind.REGISTERED
    assert event.actor == office.clerk
    assert event.data["number"] == "0215-26-00-2/1"
    assert Person.objects.get(iin=CLAIMANT_IIN).surname == "Сейткалиева"


def test_the_contacts_given_in_a_filing_stay_with_the_case_not_on_the_persons_record() -> None:
    """Whoever names a person first in a filing must not set the phone that codes for that person's
    own consent go to (a PSC confirmation): the phone given stays on the party's row of the case."""
    case = _register(court_office("0215"))
    claimant = case.parties.get(role=PartyRole.CLAIMANT)
    assert claimant.phone == "+77011234567"
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == ""


def test_numbers_run_per_court_year_and_proceeding_type() -> None:
    office = court_office("0215")
    first = _register(office)
    second = _register(office)
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.number.endswith("-2/2")


def test_refused_registration_gives_its_number_back() -> None:
    office = court_office("0215")
    _register(office)

    def register_then_fail() -> None:
        with transaction.atomic():
            _register(office)
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        register_then_fail()
    assert _register(office).sequence == 2


def test_only_the_courts_office_registers_paper_filings() -> None:
    office = court_office("0215")
    other = court_office("0216")
    with pytest.raises(CaseForbiddenError):
        _register(office, actor=other.clerk)
    with pytest.raises(CaseForbiddenError):
        _register(office, actor=office.judge_user)
    assert Case.objects.count() == 0


def test_bad_filing_is_refused_field_by_field_and_leaves_nothing() -> None:
    office = court_office("0215")
    parties = [
        PartyInput(role=PartyRole.CLAIMANT, iin="010101600586", surname="Ким", given_name="Ли"),
        PartyInput(role=PartyRole.DEFENDANT, iin="871008401427", bin=COMPANY_BIN),
    ]
    png_named_pdf = DocumentInput(
        document_type="claim", title="scan", filename="claim.pdf", content=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    )
    with pytest.raises(CaseError) as refused:
        _register(office, parties=parties, documents=[png_named_pdf])
    assert refused.value.code == CaseErrorCode.INVALID_FILING
    assert set(refused.value.fields) == {"parties[0].iin", "parties[1]"}
    with pytest.raises(CaseError) as refused_file:
        _register(office, documents=[png_named_pdf])
    assert list(refused_file.value.fields) == ["documents[0].file"]
    assert Case.objects.count() == Party.objects.count() == Document.objects.count() == 0


def test_unknown_category_is_refused_on_the_category_field() -> None:
    office = court_office("0215")
    with pytest.raises(CaseError) as refused:
        _register(office, category_code="999999999999999999")
    assert refused.value.code == CaseErrorCode.UNKNOWN_CATEGORY
    assert list(refused.value.fields) == ["category"]


def test_allowed_transitions_are_journaled_and_impossible_ones_refused() -> None:
    office = court_office("0215")
    case = _register(office)
    with pytest.raises(CaseError) as refused:
        change_status(case=case, to=CaseStatus.DECIDED, actor=office.judge_user)
    assert refused.value.code == CaseErrorCode.TRANSITION_NOT_ALLOWED
    for status in (CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.IN_PREPARATION, CaseStatus.SCHEDULED,
                   CaseStatus.HEARD, CaseStatus.DECIDED):  # fmt: skip
        change_status(case=case, to=status, actor=None if status == CaseStatus.ASSIGNED else office.judge_user)
    with pytest.raises(CaseError):
        change_status(case=case, to=CaseStatus.REGISTERED, actor=office.judge_user)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    changes = [e.data["to"] for e in CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS_CHANGED)]
    assert changes == ["assigned", "accepted", "in_preparation", "scheduled", "heard", "decided"]


def test_a_correction_is_a_new_version_and_the_old_one_stays() -> None:
    office = court_office("0215")
    case = _register(office)
    original = case.documents.get()
    corrected = correct_document(
        document=original,
        correction=DocumentInput(
            document_type="claim",
            title="Исковое заявление (уточнённое)",
            filename="claim-2.pdf",
            content=io.BytesIO(pdf_bytes("amended")),
            page_count=4,
        ),  # fmt: skip
        actor=office.clerk,
        reason="уточнение исковых требований",
    )
    original.refresh_from_db()
    assert corrected.version == 2
    assert corrected.previous_version == original
    assert original.file.sha256 != corrected.file.sha256
    with pytest.raises(CaseError) as refused:
        correct_document(document=original, correction=claim_document("again"), actor=office.clerk, reason="")
    assert refused.value.code == CaseErrorCode.ALREADY_CORRECTED


def test_the_journal_cannot_be_changed_through_the_model() -> None:
    office = court_office("0215")
    event = CaseEvent.objects.get(case=_register(office), kind=CaseEventKind.REGISTERED)
    event.data = {"number": "forged"}
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        CaseEvent.objects.filter(pk=event.pk).update(data={})
    with pytest.raises(ImmutableRowError):
        CaseEvent.objects.filter(pk=event.pk).delete()


def test_entry_into_force_and_the_draw_are_the_systems_alone() -> None:
    office = court_office("0215")
    case = _register(office)
    with pytest.raises(CaseForbiddenError) as drawn_by_hand:
        change_status(case=case, to=CaseStatus.ASSIGNED, actor=office.judge_user)
    assert drawn_by_hand.value.code == CaseErrorCode.TRANSITION_BY_SYSTEM_ONLY
    change_status(case=case, to=CaseStatus.ASSIGNED, actor=None)
    for status in (CaseStatus.ACCEPTED, CaseStatus.SCHEDULED, CaseStatus.HEARD, CaseStatus.DECIDED):
        change_status(case=case, to=status, actor=office.judge_user)
    for person in (office.judge_user, office.clerk):
        with pytest.raises(CaseForbiddenError) as by_hand:
            change_status(case=case, to=CaseStatus.IN_FORCE, actor=person)
        assert by_hand.value.code == CaseErrorCode.TRANSITION_BY_SYSTEM_ONLY
    change_status(case=case, to=CaseStatus.IN_FORCE, actor=None)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE


def test_each_move_names_the_roles_that_make_it() -> None:
    office = court_office("0215")
    case = _register(office)
    change_status(case=case, to=CaseStatus.ASSIGNED, actor=None)
    # ГПК РК art. 151: the judge, not the office, accepts a claim.
    with pytest.raises(CaseForbiddenError) as refused:
        change_status(case=case, to=CaseStatus.ACCEPTED, actor=office.clerk)
    assert refused.value.code == CaseErrorCode.TRANSITION_NOT_YOURS
    assert "status" in refused.value.fields
    change_status(case=case, to=CaseStatus.ACCEPTED, actor=office.judge_user)
    assert roles_for(CaseStatus.DECIDED, CaseStatus.IN_FORCE) == frozenset()
    assert StaffRole.CLERK in roles_for(CaseStatus.IN_FORCE, CaseStatus.ARCHIVED)
