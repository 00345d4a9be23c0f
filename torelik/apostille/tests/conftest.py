"""A heard civil case whose decision was signed by its judge, announced and entered into force (by the
acts' worker, after the appeal term), with the court's clerk; the demo CA and a local TSA."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from torelik.acts import actions as act_actions
from torelik.acts.models import Act
from torelik.acts.tasks import enter_acts_into_force
from torelik.acts.tests.factories import World, heard_case, key_of, on
from torelik.core import clock
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached
from torelik.identity.timestamps import LocalTimestampAuthority

ANNOUNCED = dt.date(2026, 11, 16)
IN_FORCE = dt.date(2026, 12, 18)  # one month after the announcement, the next day (kazakhstan.md)
TODAY = dt.date(2026, 12, 21)  # a Monday: the request and the decision


@pytest.fixture(scope="session")
def ca() -> DemoCA:
    return DemoCA.load_or_create()


@pytest.fixture(scope="session")
def tsa_url(ca: DemoCA) -> Iterator[str]:
    with LocalTimestampAuthority(ca).running() as url:
        yield url


@pytest.fixture
def tsa(settings: Any, tsa_url: str) -> str:
    settings.TORELIK_TSA_URL = tsa_url
    return tsa_url


@dataclass
class InForce:
    world: World
    act: Act


def decision_in_force(ca: DemoCA, code: str = "0215") -> InForce:
    with clock.frozen_at(on(dt.date(2026, 11, 10))):
        world = heard_case(code)
    judge = world.court.judge_user
    act = act_actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=judge)
    prepared = act_actions.prepare_signing(act=act, actor=judge)
    signature = sign_detached(prepared.signed_bytes, key_of(ca, judge.person, KeyPurpose.SIGNING))  # type: ignore[arg-type]
    act_actions.sign_act(act=act, actor=judge, signature=signature)
    Act.objects.filter(pk=act.pk).update(final_form_on=ANNOUNCED)
    with clock.frozen_at(on(ANNOUNCED)):
        act_actions.announce_act(act=act, actor=judge)
    with clock.frozen_at(on(IN_FORCE, hour=0)):
        enter_acts_into_force.call()
    act.refresh_from_db()
    return InForce(world, act)


@pytest.fixture
def in_force(ca: DemoCA, tsa: str) -> InForce:
    return decision_in_force(ca)
