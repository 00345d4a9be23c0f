"""The acts API: drafting, the two-call signing, announcement, a party's list, the public check."""

import base64
from xml.etree import ElementTree

import pytest
from django.test import Client

from torelik.acts.tests.factories import World, heard_case, key_of
from torelik.core import clock
from torelik.hearings.tests.factories import NOW, court_with_staff
from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    with clock.frozen_at(NOW):
        return heard_case()


def test_a_judge_drafts_signs_and_announces_through_the_api_and_a_party_reads(
    world: World, ca: DemoCA, tsa: str
) -> None:
    judge = Client()
    judge.force_login(world.court.judge_user)
    number = world.case.number
    created = judge.post(
        f"/api/v1/cases/{number}/acts", {"kind": "civil-decision", "language": "ru"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    act_id = created.json()["id"]
    data = judge.post(f"/api/v1/acts/{act_id}/signing").json()["data"]
    person = world.court.judge_user.person
    assert person is not None
    cms = sign_detached(base64.b64decode(data), key_of(ca, person, KeyPurpose.SIGNING))
    signed = judge.post(
        f"/api/v1/acts/{act_id}/signature",
        {"signature": base64.b64encode(cms).decode()},
        content_type="application/json",
    )
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed"
    party = Client()
    party.force_login(world.claimant)
    assert party.get(f"/api/v1/cases/{number}/acts").json() == []  # not announced yet
    assert judge.post(f"/api/v1/acts/{act_id}/announcement").json()["status"] == "announced"
    listed = party.get(f"/api/v1/cases/{number}/acts").json()
    assert [a["id"] for a in listed] == [act_id]
    pdf = party.get(f"/api/v1/acts/{act_id}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    akn = party.get(f"/api/v1/acts/{act_id}/akn")
    assert akn["Content-Type"] == "application/akn+xml"
    root = ElementTree.fromstring(akn.content)  # noqa: S314 - our own output
    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    assert root.find("a:judgment/a:meta/a:identification/a:FRBRExpression/a:FRBRlanguage", ns).get("language") == "rus"  # type: ignore[union-attr]
    assert root.find("a:judgment/a:header/a:p/a:docNumber", ns).text == number  # type: ignore[union-attr]
    for part in ("introduction", "background", "motivation", "decision"):
        assert root.find(f"a:judgment/a:judgmentBody/a:{part}/a:p", ns) is not None
    token = world.case.acts.get().verify_token
    check = Client().get(f"/api/v1/acts/verify/{token}").json()
    assert check["genuine"] is True
    assert check["sha256"] == signed.json()["sha256"]


def test_bad_input_gets_translated_4xx(world: World) -> None:
    judge = Client()
    judge.force_login(world.court.judge_user)
    number = world.case.number
    wrong = judge.post(
        f"/api/v1/cases/{number}/acts",
        {"kind": "criminal-sentence", "language": "ru"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert wrong.status_code == 422
    assert wrong.json()["code"] == "act_kind_not_in_proceeding"
    assert Client().get("/api/v1/acts/verify/nothing-here").status_code == 404
    assert judge.get("/api/v1/acts/00000000-0000-0000-0000-000000000000").status_code == 404
    stranger = Client()
    stranger.force_login(court_with_staff("0217").judge_user)  # a judge of another court
    assert stranger.get(f"/api/v1/cases/{number}/acts").status_code == 404
