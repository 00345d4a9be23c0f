"""Nothing stored that was refused (issue 17): a refused registration removes what it stored before the
refusal, and the hourly sweep removes contents nothing references after the grace period, except what
the transparency log names."""

import datetime as dt
import hashlib
import io

import pytest

from torelik.archive.actions import store_content
from torelik.archive.file_store import file_store
from torelik.archive.log import NewEntry, append_entries
from torelik.archive.models import LogEntryKind, StoredFile
from torelik.archive.sweep import sweep_unreferenced
from torelik.cases.actions import DocumentInput, register_case
from torelik.cases.errors import CaseError
from torelik.cases.models import Document
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office, pdf_bytes
from torelik.core import clock
from torelik.courts.models import ProceedingType

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)


def test_a_registration_refused_for_its_second_document_keeps_nothing_of_the_first() -> None:
    office = court_office()
    first = claim_document("a content no other document has")
    sha256 = hashlib.sha256(first.content.getvalue()).hexdigest()  # type: ignore[union-attr]
    html_named_pdf = DocumentInput(
        document_type="claim", title="Приложение", filename="appendix.pdf", content=io.BytesIO(b"<html>x</html>")
    )
    with pytest.raises(CaseError):
        register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[first, html_named_pdf],
            actor=office.clerk,
        )
    assert not StoredFile.objects.filter(sha256=sha256).exists()
    assert not file_store().exists(sha256)


def test_a_refusal_keeps_a_content_that_another_document_uses() -> None:
    office = court_office()
    kept = register_case(
        court=office.court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("shared")],
        actor=office.clerk,
    )
    again = claim_document("shared")
    with pytest.raises(CaseError):
        register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[again, DocumentInput("claim", "x", "x.pdf", io.BytesIO(b"<html></html>"))],
            actor=office.clerk,
        )
    document = Document.objects.get(case=kept)
    assert file_store().exists(document.file.sha256)


def _aged(data: bytes, hours: int) -> StoredFile:
    stored = store_content(data, "application/pdf")
    StoredFile.objects.filter(pk=stored.pk).update(stored_at=NOW - dt.timedelta(hours=hours))
    return stored


def test_the_sweep_removes_only_old_unreferenced_unlogged_content() -> None:
    office = court_office()
    case = register_case(
        court=office.court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("referenced")],
        actor=office.clerk,
    )
    referenced = Document.objects.get(case=case).file
    StoredFile.objects.filter(pk=referenced.pk).update(stored_at=NOW - dt.timedelta(days=3))
    orphan = _aged(pdf_bytes("orphan"), hours=25)
    young = _aged(pdf_bytes("young"), hours=2)
    logged = _aged(pdf_bytes("logged"), hours=48)
    append_entries([NewEntry(kind=LogEntryKind.DOCUMENT_VERSION, fields={"sha256": logged.sha256})])
    with clock.frozen_at(NOW):
        assert sweep_unreferenced() == 1
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert not file_store().exists(orphan.sha256)
    for kept in (referenced, young, logged):
        assert StoredFile.objects.filter(pk=kept.pk).exists()
        assert file_store().exists(kept.sha256)
