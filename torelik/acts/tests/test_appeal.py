"""An appeal attached to the act it attacks, the appellate act linked to it, entry into force by the
upholding act, and the writ of execution sealed by the court."""

import datetime as dt

import pytest

from torelik.acts import actions, queries
from torelik.acts.models import Act, ActStatus, ReviewOutcome
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.archive.queries import open_stored_file
from torelik.cases.actions import link_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseLinkKind, CaseStatus, Instance
from torelik.core import clock
from torelik.hearings.tests.factories import case_in, court_with_staff
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
