"""A case exported as a BagIt bag that validates offline: the standalone standard-library script and
the `bagit` package accept it, and an independent Merkle implementation (pymerkle) accepts every
document's inclusion proof in the bag's signed, timestamped checkpoint; a changed byte is caught."""

import base64
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import bagit
import pytest
from django.test import override_settings
from pymerkle import InmemoryTree
from pymerkle.proof import InclusionProof, verify_inclusion

from torelik.archive.queries import verifier_key
from torelik.cases.actions import add_document, register_case
from torelik.cases.bags import export_bag, export_bag_zip
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority

pytestmark = pytest.mark.django_db
TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_bag.py"


def _case() -> object:
    office = court_office("0215")
    case = register_case(
        court=office.court,
        proceeding_type="civil",
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("claim")],
        actor=office.clerk,
    )
    add_document(case=case, document=claim_document("reply"), actor=office.clerk)
    return case


def _verify(bag: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(TOOL), str(bag), *extra], capture_output=True, text=True, check=False, timeout=60
    )


def test_a_case_exports_as_a_bag_that_validates_offline(tmp_path: Path) -> None:
    case = _case()
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url, override_settings(TORELIK_TSA_URL=url):
        root = export_bag(case, tmp_path / "bag")  # type: ignore[arg-type]
    bagit.Bag(str(root)).validate()  # the bagit package's own check
    assert (root / "data" / "log" / "checkpoint.tsr").is_file()
    key = verifier_key()
    run = _verify(root, "--log-key", key)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VALID: every document proven in the signed and timestamped checkpoint" in run.stdout
    assert _verify(root).returncode == 3  # the key only from the bag itself: said so

    # Every document's proof, checked by an implementation that is not ours.
    listed = json.loads((root / "data" / "case.json").read_text())["documents"]
    entries = [json.loads(line) for line in (root / "data" / "log" / "entries.jsonl").read_text().splitlines()]
    proofs = json.loads((root / "data" / "log" / "proofs.json").read_text())
    note = (root / "data" / "log" / "checkpoint.txt").read_text().split("\n")
    size, checkpoint_root = int(note[1]), base64.b64decode(note[2])
    assert len(listed) == 2
    assert all(d["log_index"] is not None for d in listed)
    shape = InmemoryTree(algorithm="sha256")
    for _ in range(size):
        shape.append_entry(b"")
    for entry in entries:
        leaf = bytes.fromhex(entry["leaf_hash"])
        path = [base64.b64decode(h) for h in proofs["proofs"][str(entry["index"])]]
        rule = shape.prove_inclusion(entry["index"] + 1, size).rule
        verify_inclusion(
            leaf, checkpoint_root, InclusionProof("sha256", True, size, entry["index"] + 1, rule, [leaf, *path])
        )

    document = root / "data" / listed[0]["file"]
    content = bytearray(document.read_bytes())
    content[-3] ^= 0x20
    document.write_bytes(bytes(content))
    run = _verify(root, "--log-key", key)
    assert run.returncode == 1
    assert "its SHA-256 is not the manifest's" in run.stdout
    assert "its bytes are not the version the log records" in run.stdout


def test_the_zip_download_validates_too(tmp_path: Path) -> None:
    case = _case()
    with export_bag_zip(case) as bundle:  # type: ignore[arg-type]
        (tmp_path / "case.zip").write_bytes(bundle.read())
    assert zipfile.is_zipfile(tmp_path / "case.zip")
    run = _verify(tmp_path / "case.zip", "--log-key", verifier_key())
    assert run.returncode == 0, run.stdout + run.stderr


def test_only_the_staff_of_the_court_download_the_bag() -> None:
    from django.test import Client

    office = court_office("0215")
    case = register_case(
        court=office.court,
        proceeding_type="civil",
        category_code=office.category.code,
        parties=claimant_and_defendant(),
        documents=[claim_document("claim")],
        actor=office.clerk,
    )
    other = court_office("1916")
    client = Client()
    client.force_login(other.clerk)
    answer = client.get(f"/ru/cases/{case.number}/bag.zip")
    assert answer.status_code in (403, 404)
    own = Client()
    own.force_login(office.clerk)
    answer = own.get(f"/ru/cases/{case.number}/bag.zip")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
