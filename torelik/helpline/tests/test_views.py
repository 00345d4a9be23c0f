"""The helpline's pages answer each role, refuse bad input with a 4xx and keep their promises."""

import pytest
from django.test import Client

from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.helpline.models import Call, CallStatus
from torelik.helpline.tests.factories import PARTY_IIN, PARTY_PHONE, last_code, world

pytestmark = pytest.mark.django_db


def test_the_operator_registers_a_call_after_identifying_the_party_and_the_chairman_answers() -> None:
    w = world()
    operator = Client()
    operator.force_login(w.operator)
    with clock.frozen_at(NOW):
        page = operator.get("/ru/helpline/operator/", {"case": w.case.number})
        assert page.status_code == 200
        assert "Только общедоступные сведения" in page.content.decode() or "Public information" in page.content.decode()
        operator.post("/en/helpline/operator/", {"action": "send_code", "caller_iin": PARTY_IIN})
        done = operator.post(
            "/en/helpline/operator/", {"action": "confirm", "caller_iin": PARTY_IIN, "code": last_code(PARTY_PHONE)}
        )
        assert done.status_code == 302
        screen = operator.get("/en/helpline/operator/").content.decode()
        assert w.case.number in screen
        assert "Open terms" in screen
        registered = operator.post(
            "/en/helpline/operator/",
            {
                "action": "register",
                "channel": "landline",
                "language": "ru",
                "caller_phone": PARTY_PHONE,
                "category": "improper_notice",
                "case_number": w.case.number,
                "question": "Не получил повестку",
            },
        )
        assert registered.status_code == 302
        call = Call.objects.get()
        assert call.identified
        chairman = Client()
        chairman.force_login(w.chairman)
        assert call.number in chairman.get("/en/helpline/queue/").content.decode()
        chairman.post(
            f"/en/helpline/calls/{call.number}/", {"action": "answer", "answer": "Повестка вручена повторно."}
        )
    call.refresh_from_db()
    assert call.status == CallStatus.ANSWERED


def test_bad_input_on_the_operator_screen_is_a_4xx() -> None:
    w = world()
    operator = Client()
    operator.force_login(w.operator)
    with clock.frozen_at(NOW):
        assert operator.get("/en/helpline/operator/", {"case": "0000-00-00-0/0"}).status_code == 400
        bad_iin = operator.post("/en/helpline/operator/", {"action": "send_code", "caller_iin": "871008401428"})
        assert bad_iin.status_code == 400
        assert operator.post(
            "/en/helpline/operator/",
            {"action": "register", "channel": "landline", "language": "ru", "category": "improper_notice",
             "court": "9999", "question": "?"},
        ).status_code == 400  # fmt: skip


def test_pages_of_each_role() -> None:
    w = world()
    operator = Client()
    operator.force_login(w.operator)
    with clock.frozen_at(NOW):
        assert Client().get("/kk/helpline/").status_code == 200
        assert (
            Client().get("/ru/helpline/follow/", {"number": "1401-26-000001", "phone": "+77010000000"}).status_code
            == 404
        )
        assert Client().get("/ru/helpline/operator/").status_code == 302
        for path in ("/ru/helpline/register/", "/ru/helpline/statistics/", "/ru/helpline/queue/"):
            assert operator.get(path).status_code == 200
        csv = operator.get("/ru/helpline/register/", {"format": "csv"})
        assert csv["Content-Type"].startswith("text/csv")
        chairman = Client()
        chairman.force_login(w.chairman)
        assert chairman.get("/ru/helpline/operator/").status_code == 403
