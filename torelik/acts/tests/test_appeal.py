"""An appeal attached to the act it attacks, the appellate act linked to it, entry into force by the
upholding act, and the writ of execution sealed by the court."""

import datetime as dt
import io
from typing import Any

import pytest

from torelik.acts import actions, appeals, queries
from torelik.acts.errors import ActConflictError, ActError, ActErrorCode, ActForbiddenError
from torelik.acts.models import Act, ActStatus, ReviewOutcome
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.archive.queries import open_stored_file
from torelik.cases.actions import DocumentInput, add_document, link_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseLink, CaseLinkKind, CaseStatus, Instance, PartyRole
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, pdf_bytes
from torelik.core import clock
from torelik.courts.models import Court, CourtKind
from torelik.distribution.models import Draw
from torelik.hearings.tests.factories import Court_, case_in, court_with_staff
from torelik.identity.models import User
from torelik.identity.pades import check_pdf_seals
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = pytest.mark.django_db


def _sign(act: Act, judge: User, ca: DemoCA) -> Act:
    prepared = actions.prepare_signing(act=act, actor=judge)
    assert judge.person is not None
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))
    return actions.sign_act(act=act, actor=judge, signature=signature)


def _appeal_case(world: World) -> tuple[Case, User]:
    regional = court_with_staff("1900")
    appeal = case_in(regional, status=CaseStatus.HEARD)
    Case.objects.filter(pk=appeal.pk).update(instance=Instance.APPEAL, category=world.case.category)
    appeal.refresh_from_db()
    link_cases(from_case=appeal, to_case=world.case, kind=CaseLinkKind.APPEAL_OF, actor=None)
    return appeal, regional.judge_user


def test_an_upholding_appellate_act_brings_the_decision_into_force_and_a_writ_is_issued(ca: DemoCA, tsa: str) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    judge = world.court.judge_user
    decision = _sign(actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge), judge, ca)
    decision = actions.announce_act(act=decision, actor=judge)
    appeal, appeal_judge = _appeal_case(world)

    attached = actions.attach_appeal(lower_case=world.case, appeal_case=appeal, actor=None)
    assert attached is not None
    assert attached.status == ActStatus.APPEALED
    assert CaseEvent.objects.filter(case=appeal, kind=CaseEventKind.ACT_APPEALED).exists()

    ruling = actions.draft_act(
        case=appeal, kind="appeal-resolution", language="ru", actor=appeal_judge, outcome=ReviewOutcome.UPHELD
    )
    assert ruling.reviews == decision
    ruling = actions.announce_act(act=_sign(ruling, appeal_judge, ca), actor=appeal_judge)
    assert ruling.status == ActStatus.IN_FORCE

    decision.refresh_from_db()
    assert decision.status == ActStatus.IN_FORCE
    assert decision.in_force_on == clock.today()
    assert decision.in_force_basis["outcome"] == "upheld"
    assert [a.pk for a in queries.chain_of(decision)] == [decision.pk, ruling.pk]
    assert [a.pk for a in queries.chain_of(ruling)] == [decision.pk, ruling.pk]
    assert Case.objects.get(pk=world.case.pk).status == CaseStatus.IN_FORCE

    assert decision.writ is not None
    assert decision.writ.document_type.code == "writ_of_execution"
    with open_stored_file(decision.writ.file) as stream:
        seals = check_pdf_seals(stream.read())
    assert len(seals) == 1
    assert seals[0].ok


def test_a_quashing_act_leaves_the_decision_quashed_and_not_in_force(ca: DemoCA, tsa: str) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
    judge = world.court.judge_user
    decision = _sign(actions.draft_act(case=world.case, kind="civil-decision", language="kk", actor=judge), judge, ca)
    decision = actions.announce_act(act=decision, actor=judge)
    appeal, appeal_judge = _appeal_case(world)
    actions.attach_appeal(lower_case=world.case, appeal_case=appeal, actor=None)
    ruling = actions.draft_act(
        case=appeal, kind="appeal-resolution", language="kk", actor=appeal_judge, outcome=ReviewOutcome.QUASHED
    )
    actions.announce_act(act=_sign(ruling, appeal_judge, ca), actor=appeal_judge)
    decision.refresh_from_db()
    assert decision.status == ActStatus.QUASHED
    assert decision.in_force_on is None
    assert decision.writ is None


def _regional_above(world: World) -> Court_:
    regional = court_with_staff("1900")
    Court.objects.filter(pk=regional.court.pk).update(kind=CourtKind.REGIONAL)
    Court.objects.filter(pk=world.court.court.pk).update(parent=regional.court)
    return regional


def test_an_appeal_waits_for_the_responses_and_the_court_then_sends_the_case_up(
    ca: DemoCA, tsa: str, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case()
        judge = world.court.judge_user
        decision = _sign(
            actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge), judge, ca
        )
        decision = actions.announce_act(act=decision, actor=judge)
    regional = _regional_above(world)
    # Filed on Thu 12 Nov 2026, within the month: ten working days for responses end on Thu 26 Nov,
    # but the appeal term (a month from 10 Nov) runs to Thu 10 Dec: the case goes up from 11 Dec.
    with clock.frozen_at(on(dt.date(2026, 11, 12))):
        appeal = appeals.lodge_appeal(
            lower_case=world.case, higher_court=regional.court, appellant_iin=CLAIMANT_IIN, document=None, actor=None
        )
        assert appeal.act == decision
        assert appeal.appellant == world.claimant_party
        assert appeal.responses_until == dt.date(2026, 11, 26)
        assert appeal.ready_on == dt.date(2026, 12, 11)
        assert appeal.term_basis["verify"] is True
        decision.refresh_from_db()
        assert decision.status == ActStatus.APPEALED
        queue = queries.appeal_queue([world.court.court.pk], clock.today())
        assert [a.pk for a in queue.awaiting] == [appeal.pk]
        assert queue.ready == []
    with clock.frozen_at(on(dt.date(2026, 11, 20))):
        add_document(
            case=world.case,
            document=DocumentInput(
                document_type="appeal_response",
                title="Отзыв на апелляционную жалобу",
                filename="response.pdf",
                content=io.BytesIO(pdf_bytes("response")),
            ),
            actor=None,
            author=world.defendant_party,
        )
        assert len(appeals.responses_to(appeal)) == 1
        with pytest.raises(ActError) as refused:
            appeals.send_appeal(appeal=appeal, actor=world.court.clerk)
        assert refused.value.code == ActErrorCode.APPEAL_NOT_READY
    assert not Case.objects.filter(court=regional.court).exists()

    with clock.frozen_at(on(dt.date(2026, 12, 11))):
        assert [a.pk for a in queries.appeal_queue([world.court.court.pk], clock.today()).ready] == [appeal.pk]
        with pytest.raises(ActForbiddenError):
            appeals.send_appeal(appeal=appeal, actor=regional.clerk)
        documents = world.case.documents.count()
        with django_capture_on_commit_callbacks(execute=True):
            sent = appeals.send_appeal(appeal=appeal, actor=world.court.clerk)
        with pytest.raises(ActConflictError):
            appeals.send_appeal(appeal=appeal, actor=world.court.clerk)
    upper = sent.appeal_case
    assert upper is not None
    assert upper.court == regional.court
    assert upper.instance == Instance.APPEAL
    assert upper.number != world.case.number
    assert upper.channel == "lower_court"
    assert CaseLink.objects.filter(from_case=upper, to_case=world.case, kind=CaseLinkKind.APPEAL_OF).exists()
    # The whole electronic file goes up: the act, the response, every document, the same stored content.
    assert upper.documents.count() == documents
    assert upper.documents.filter(document_type__code="appeal_response").exists()
    assert set(upper.documents.values_list("file_id", flat=True)) == set(
        world.case.documents.values_list("file_id", flat=True)
    )
    roles = {
        str(p.person.iin if p.person else p.organisation.bin if p.organisation else ""): p.role
        for p in upper.parties.select_related("person", "organisation")
    }
    assert roles[CLAIMANT_IIN] == PartyRole.APPLICANT
    assert roles[COMPANY_BIN] == PartyRole.DEFENDANT
    sent_event = CaseEvent.objects.get(case=world.case, kind=CaseEventKind.CASE_SENT_ON_APPEAL)
    assert sent_event.data["appeal_case"] == upper.number
    assert sent_event.data["responses"] == 1
    assert Draw.objects.filter(case=upper).exists()  # drawn among the regional court's judges
    assert actions.act_under_review(upper) == decision
