"""A judge drafts, signs (their own SIGN certificate, PAdES, RFC 3161 timestamp) and the PDF validates
with pyHanko and with poppler's pdfsig; every wrong signature is refused and leaves the draft as it was."""

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from torelik.acts import actions
from torelik.acts.errors import ActError, ActErrorCode, ActForbiddenError
from torelik.acts.models import Act, ActStatus
from torelik.acts.tests.factories import World, heard_case, key_of
from torelik.archive.queries import open_stored_file
from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.hearings.tests.factories import NOW, court_with_staff
from torelik.identity.eds import SignatureRefusal, SignatureRefusedError
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached, to_asn1_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    with clock.frozen_at(NOW):
        return heard_case()


def _signed_pdf(act: Act) -> bytes:
    assert act.signed_file is not None
    with open_stored_file(act.signed_file) as stream:
        return stream.read()


def _draft_and_sign(world: World, ca: DemoCA) -> Act:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    return actions.sign_act(act=act, actor=judge, signature=signature)


def test_the_first_draft_carries_the_cases_facts_in_its_four_parts(world: World) -> None:
    act = actions.draft_act(case=world.case, kind="civil-decision", language="kk", actor=world.assistant)
    version = actions.latest_version(act)
    assert version.number == 1
    assert "ШЕШІМ" in version.title
    assert world.case.court.name_kk in version.introductory
    assert world.court.judge.person.full_name in version.introductory
    assert "Ахметова Айгерим" in version.introductory
    assert "ТОО «Алатау Строй»" in version.introductory
    assert "О взыскании долга" in version.descriptive
    # the appeal note names the term of a civil decision: one month from the decision in final form
    assert "1 ай" in version.operative


def test_a_judge_signs_and_the_pdf_validates_with_pyhanko_and_a_timestamp(world: World, ca: DemoCA, tsa: str) -> None:
    act = _draft_and_sign(world, ca)
    assert act.status == ActStatus.SIGNED
    assert act.signer_iin == str(world.court.judge.person.iin)
    pdf = _signed_pdf(act)
    assert hashlib.sha256(pdf).hexdigest() == act.sha256
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    context = ValidationContext(
        trust_roots=[to_asn1_certificate(ca.root)], allow_fetching=False, revocation_mode="soft-fail"
    )
    status = validate_pdf_signature(signature, context)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage is not None
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.valid
    assert status.signing_cert.subject.native["serial_number"] == f"IIN{world.court.judge.person.iin}"
    signed = CaseEvent.objects.get(case=world.case, kind=CaseEventKind.ACT_SIGNED)
    assert signed.data["sha256"] == act.sha256


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is not installed")
def test_pdfsig_finds_the_whole_document_signed_and_valid(world: World, ca: DemoCA, tsa: str, tmp_path: Path) -> None:
    act = _draft_and_sign(world, ca)
    path = tmp_path / "act.pdf"
    path.write_bytes(_signed_pdf(act))
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report
    changed = bytearray(path.read_bytes())
    changed[len(changed) // 3] ^= 0x01
    path.write_bytes(bytes(changed))
    broken = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout  # noqa: S603, S607
    assert "Signature is Valid." not in broken


def test_another_judges_certificate_is_refused(world: World, ca: DemoCA, tsa: str) -> None:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    other = court_with_staff("0216").judge_user
    signature = sign_detached(prepared.signed_bytes, key_of(ca, other.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    with pytest.raises(ActForbiddenError) as refused:
        actions.sign_act(act=act, actor=judge, signature=signature)
    assert refused.value.code == ActErrorCode.WRONG_SIGNER
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT
    assert act.signed_file is None


def test_an_authentication_key_cannot_sign_an_act(world: World, ca: DemoCA, tsa: str) -> None:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.AUTHENTICATION))  # type: ignore[arg-type]
    with pytest.raises(SignatureRefusedError) as refused:
        actions.sign_act(act=act, actor=judge, signature=signature)
    assert refused.value.refusal == SignatureRefusal.WRONG_KEY_PURPOSE
    assert Act.objects.get(pk=act.pk).status == ActStatus.DRAFT
    for language, words in (("kk", "қол қою кілтін"), ("ru", "ключ подписи"), ("en", "signing key")):
        with translation.override(language):
            message = refused.value.message
        assert words in message
        assert "SIGN" not in message
        assert "AUTH" not in message


def test_a_revoked_certificate_cannot_sign_an_act(world: World, ca: DemoCA, tsa: str) -> None:
    judge = world.court.judge_user
    person = judge.person
    assert person is not None
    revoked = ca.issue_person(
        iin=str(person.iin), surname=person.surname, given_name=person.given_name, purpose=KeyPurpose.SIGNING
    )
    ca.revoke(revoked.certificate)
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    with pytest.raises(SignatureRefusedError) as refused:
        actions.sign_act(act=act, actor=judge, signature=sign_detached(prepared.signed_bytes, revoked))
    assert refused.value.refusal == SignatureRefusal.REVOKED


def test_a_signature_over_other_bytes_is_refused(world: World, ca: DemoCA, tsa: str) -> None:
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes + b" ", key_of(ca, judge.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    with pytest.raises(SignatureRefusedError) as refused:
        actions.sign_act(act=act, actor=judge, signature=signature)
    assert refused.value.refusal == SignatureRefusal.CONTENT_MISMATCH


def test_the_assistant_drafts_but_only_the_judge_signs(world: World) -> None:
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=world.assistant)
    with pytest.raises(ActForbiddenError) as refused:
        actions.prepare_signing(act=act, actor=world.assistant)
    assert refused.value.code == ActErrorCode.NOT_THE_JUDGE


def test_a_kind_the_proceeding_does_not_have_is_refused(world: World) -> None:
    with pytest.raises(ActError) as refused:
        actions.draft_act(case=world.case, kind="criminal-sentence", language="ru", actor=world.court.judge_user)
    assert refused.value.code == ActErrorCode.KIND_NOT_IN_PROCEEDING
    assert not Act.objects.exists()


def test_the_verification_page_says_genuine_and_a_changed_byte_says_otherwise(
    world: World, ca: DemoCA, tsa: str, client: Client
) -> None:
    act = _draft_and_sign(world, ca)
    pdf = _signed_pdf(act)
    page = client.get(f"/ru/acts/verify/{act.verify_token}/")
    assert page.status_code == 200
    assert act.sha256 in page.content.decode()
    good = client.post(f"/en/acts/verify/{act.verify_token}/", {"file": io.BytesIO(pdf)})
    assert "The copy is the genuine act" in good.content.decode()
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    upload = io.BytesIO(bytes(changed))
    upload.name = "act.pdf"
    bad = client.post(f"/en/acts/verify/{act.verify_token}/", {"file": upload})
    assert "Not genuine" in bad.content.decode()
    assert client.get("/en/acts/verify/not-a-token/").status_code == 404


def test_no_timestamp_authority_means_no_signature(world: World, ca: DemoCA, settings: object) -> None:
    settings.TORELIK_TSA_URL = ""  # type: ignore[attr-defined]
    judge = world.court.judge_user
    act = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    with pytest.raises(ActError) as refused:
        actions.sign_act(act=act, actor=judge, signature=signature)
    assert refused.value.code == ActErrorCode.NO_TIMESTAMP_AUTHORITY
    assert Act.objects.get(pk=act.pk).status == ActStatus.DRAFT
