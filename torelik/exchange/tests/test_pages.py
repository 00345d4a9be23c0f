"""The administrator's page of partners' clients (a token shown once, only its hash kept, revocation, the
journal of calls in words) and who may open the exchange's pages."""

import pytest
from django.test import Client

from torelik.cases.tests.factories import court_office
from torelik.core import clock
from torelik.core.tokens import token_digest
from torelik.exchange.models import PartnerClient, PartnerKind
from torelik.exchange.tests.factories import NOW, case_with_writ, envelope, partner, send
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def admin() -> Client:
    user = User.objects.create_superuser(username="root", password="a-long-passphrase-1")
    client = Client()
    client.force_login(user)
    return client


def test_a_client_is_made_with_its_token_shown_once_and_revoked_with_a_reason() -> None:
    browser = admin()
    made = browser.post(
        "/ru/exchange/clients/",
        {"name": "Комитет по исполнению судебных актов", "kind": "enforcement", "signing": "hmac"},
    )
    assert made.status_code == 200
    page = made.content.decode()
    assert "Показываются один раз" in page
    client = PartnerClient.objects.get()
    assert client.scopes == ["enforcement.executions"]
    token = page.split('id="new-token">')[1].split("<")[0]
    assert client.token_sha256 == token_digest(token)
    assert token not in browser.get("/ru/exchange/clients/").content.decode()

    revoked = browser.post(f"/ru/exchange/clients/{client.public_id}/revoke/", {"reason": "смена ключей"})
    assert revoked.status_code == 302
    client.refresh_from_db()
    assert client.revoke_reason == "смена ключей"
    assert "Отозван" in browser.get(f"/ru/exchange/clients/{client.public_id}/").content.decode()


def test_a_name_taken_and_an_empty_reason_are_refused_on_the_page() -> None:
    browser = admin()
    partner(PartnerKind.POST, "Казпочта")
    taken = browser.post("/ru/exchange/clients/", {"name": "Казпочта", "kind": "post", "signing": "hmac"})
    assert taken.status_code == 400
    assert "Клиент с таким названием уже есть." in taken.content.decode()
    client = PartnerClient.objects.get()
    assert browser.post(f"/ru/exchange/clients/{client.public_id}/revoke/", {"reason": ""}).status_code == 400
    assert client.is_active


def test_the_journal_names_each_refusal_in_words() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    with clock.frozen_at(NOW):
        send(enforcement, "enforcement/executions", envelope({"case_number": in_force.world.case.number}), signature="")
    page = admin().get(f"/kk/exchange/clients/{enforcement.client.public_id}/").content.decode()
    assert "хабарлама қол қойылмаған" in page
    assert ">signature_missing<" not in page


def test_only_the_office_and_the_administrator_reach_their_pages() -> None:
    office = court_office("0215")
    judge = Client()
    judge.force_login(office.judge_user)
    assert judge.get("/ru/exchange/letters/").status_code == 403
    assert judge.get("/ru/exchange/clients/").status_code == 403
    clerk = Client()
    clerk.force_login(office.clerk)
    assert clerk.get("/ru/exchange/letters/").status_code == 200
    assert clerk.get("/ru/exchange/clients/").status_code == 403
    assert Client().get("/ru/exchange/letters/").status_code == 302
