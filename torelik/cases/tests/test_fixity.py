"""The archive's fixity audit on a case's documents: a changed byte in a stored file is caught, raised
as an entry of the transparency log and journaled in the case, and repaired from the second copy."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import override_settings

from torelik.archive.file_store import LocalFileStore, file_store, primary_store
from torelik.archive.fixity import audit_fixity, check_object
from torelik.archive.models import FixityCheck, LogEntryKind, PendingEntry
from torelik.cases.actions import register_case
from torelik.cases.models import CaseEventKind
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office

pytestmark = pytest.mark.django_db


def _register() -> tuple[str, Path]:
    office = court_office("0215")
    case = register_case(
        court=office.court,
        proceeding_type="civil",
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("fixity")],
        actor=office.clerk,
    )
    sha256 = case.documents.get().file.sha256
    store = primary_store()
    assert isinstance(store, LocalFileStore)
    return sha256, store.root / sha256[:2] / sha256[2:4] / sha256


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.chmod(0o640)
    path.write_bytes(bytes(data))


def test_a_changed_byte_is_caught_logged_and_journaled_in_the_case(tmp_path: Path) -> None:
    sha256, path = _register()
    assert check_object(sha256, reason="manual").ok
    _flip_a_byte(path)
    report = audit_fixity(everything=True)
    assert (report.checked, report.damaged, report.repaired) == (1, 1, 0)
    check = FixityCheck.objects.filter(ok=False).get()
    assert check.sha256 == sha256
    assert check.found not in ("", sha256)
    [logged] = [json.loads(p.body) for p in PendingEntry.objects.filter(kind=LogEntryKind.FIXITY_MISMATCH)]
    assert (logged["sha256"], logged["repaired"]) == (sha256, False)
    from torelik.cases.models import CaseEvent

    [event] = CaseEvent.objects.filter(kind=CaseEventKind.FIXITY_MISMATCH)
    assert event.data["sha256"] == sha256
    assert event.data["repaired"] is False
    assert event.data["log_leaf"] == PendingEntry.objects.get(kind=LogEntryKind.FIXITY_MISMATCH).leaf_hash


def test_a_damaged_file_is_repaired_from_the_second_copy(tmp_path: Path) -> None:
    file_store.cache_clear()
    try:
        with override_settings(TORELIK_FILE_STORE_COPY=str(tmp_path / "copy")):
            file_store.cache_clear()
            sha256, path = _register()
            original = path.read_bytes()
            assert (tmp_path / "copy" / sha256[:2] / sha256[2:4] / sha256).read_bytes() == original  # mirrored
            _flip_a_byte(path)
            check = check_object(sha256, reason="sample")
            assert not check.ok
            assert check.repaired
            assert path.read_bytes() == original
            assert check_object(sha256, reason="manual").ok
    finally:
        file_store.cache_clear()


def test_the_daily_share_reaches_every_object_in_180_days() -> None:
    sha256, _path = _register()
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(180)]
    checked_on = [d for d in days if audit_fixity(day=d, sample=0).checked]
    assert len(checked_on) == 1  # one day in 180 for each object, none twice
    assert FixityCheck.objects.filter(sha256=sha256, reason="rolling").count() == 1
