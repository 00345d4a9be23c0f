"""S10 barcodes, letters and their papers, tracking with failures, the webhook's signature, public tracking."""

import datetime as dt
import json
import os
import shutil
import subprocess
import threading

import httpx
import pytest
from django.db import connection
from django.test import Client

from torelik.cases.tests.factories import court_office
from torelik.core import clock
from torelik.post import actions, operator_api, printing, s10
from torelik.post.errors import PostError
from torelik.post.models import EventSource, Letter, LetterEvent, LetterKind, LetterStatus, UnmatchedReport
from torelik.post.simulator import Simulator

NOW = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
ADDRESS = "050000, Алматы, Бостандық ауданы, Абай даңғылы, д. 10, кв. 5"


# --- S10: the values of shared/domain/kazakhstan.md --------------------------------------------------


def test_the_check_digit_of_the_published_examples() -> None:
    assert s10.check_digit("12345678") == 5
    assert s10.check_digit("07033344") == 7
    assert s10.check_digit("47312482") == 9
    for barcode in ("RR123456785KZ", "RK070333447CN", "rr 1234 5678 5 kz"):
        item = s10.parse(barcode)
        assert item is not None
        assert item.conforming


def test_a_wrong_check_digit_is_found_and_a_domestic_one_only_flagged() -> None:
    foreign = s10.parse("RK070333441CN")
    assert foreign is not None
    assert not foreign.conforming
    assert not s10.acceptable(foreign)
    domestic = s10.parse("BA123456781KZ")
    assert domestic is not None
    assert not domestic.conforming
    assert s10.acceptable(domestic)
    assert s10.parse("RR12345678KZ") is None
    assert s10.parse("not a barcode") is None


@pytest.mark.django_db
def test_barcodes_are_unique_across_courts_and_carry_their_check_digit(settings: object) -> None:
    settings.TORELIK_POST_RANGE_SIZE = 5  # type: ignore[attr-defined]
    one, two = court_office("0215").court, court_office("7585").court
    first = actions.allocate_barcodes(court_id=one.pk, count=7)
    second = actions.allocate_barcodes(court_id=two.pk, count=3)
    third = actions.allocate_barcodes(court_id=one.pk, count=4)
    everything = first + second + third
    assert len(set(everything)) == 14
    assert all((item := s10.parse(b)) is not None and item.conforming for b in everything)
    assert first[0] == "RR000000014KZ"  # serial 1: 7·1 = 7, 11 − 7 = 4


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="row locks are tested on PostgreSQL (SQLite serialises every write)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocation_never_issues_a_barcode_twice(settings: object) -> None:
    settings.TORELIK_POST_RANGE_SIZE = 50  # type: ignore[attr-defined]
    courts = [court_office(code).court for code in ("0215", "7585")]
    issued: list[str] = []
    lock = threading.Lock()

    def work(court_id: int) -> None:
        try:
            for _ in range(20):
                got = actions.allocate_barcodes(court_id=court_id, count=7)
                with lock:
                    issued.extend(got)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c.pk,)) for c in courts for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(issued) == 6 * 20 * 7
    assert len(set(issued)) == len(issued)


# --- Letters and papers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_letter_without_a_postal_index_waits_without_a_barcode() -> None:
    court = court_office("0215").court
    with clock.frozen_at(NOW):
        letter = actions.prepare_letter(
            court=court,
            kind=LetterKind.REGISTERED,
            recipient_name="Әбілқасымов Ерлан",
            address_text="Алматы, Абай даңғылы, д. 10",
            enclosures=[],
        )
    assert (letter.status, letter.barcode) == (LetterStatus.ADDRESS_INCOMPLETE, None)
    with pytest.raises(PostError) as refused:
        actions.complete_address(letter=letter, address_text="Алматы, Абай даңғылы", actor=None)
    assert refused.value.code == "no_postal_index"
    with clock.frozen_at(NOW):
        done = actions.complete_address(letter=letter, address_text=ADDRESS, actor=None)
    assert done.status == LetterStatus.PREPARED
    assert done.barcode is not None
    assert (done.weight_class, done.cost) == ("w20", 250)


@pytest.mark.django_db
def test_the_envelope_and_the_days_register_carry_barcode_and_address() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    court = court_office("0215").court
    with clock.frozen_at(NOW):
        letter = actions.prepare_letter(
            court=court,
            kind=LetterKind.REGISTERED,
            recipient_name="Әбілқасымов Ерлан Қайратұлы",
            address_text=ADDRESS,
            enclosures=[],
        )
        handed = actions.hand_over(court=court, day=NOW.date(), actor=None)
    assert [x.pk for x in handed] == [letter.pk]
    barcode = letter.barcode or ""
    envelope = printing.envelope(actions.printed(letter), actions.sender_of(court))
    text = subprocess.run(["pdftotext", "-", "-"], input=envelope, capture_output=True, check=True).stdout.decode()  # noqa: S607
    assert "Әбілқасымов Ерлан Қайратұлы" in text
    assert "050000" in text
    assert f"{barcode[:2]} {barcode[2:6]} {barcode[6:10]} {barcode[10:]}" in text
    rows = actions.register_rows(handed)
    csv = printing.register_csv(rows)
    assert barcode in csv
    assert ",250" in csv
    register = printing.register_pdf(rows, court="0215", day="01.12.2026")
    text = subprocess.run(["pdftotext", "-", "-"], input=register, capture_output=True, check=True).stdout.decode()  # noqa: S607
    assert barcode in text


# --- Tracking: failures, duplicates, unknown barcodes, signatures ------------------------------------------


def _letter_on_its_way(code: str = "0215") -> Letter:
    court = court_office(code).court
    with clock.frozen_at(NOW):
        letter = actions.prepare_letter(
            court=court,
            kind=LetterKind.REGISTERED,
            recipient_name="Ахметова Айгерим",
            address_text=ADDRESS,
            enclosures=[],
        )
        actions.hand_over(court=court, day=NOW.date(), actor=None)
    letter.refresh_from_db()
    return letter


@pytest.mark.django_db
def test_a_poll_that_times_out_is_shown_and_retried_later_each_time_twice_as_late(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    letter = _letter_on_its_way()

    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client = operator_api.Operator(
        httpx.Client(base_url="https://post.invalid", transport=httpx.MockTransport(timeout))
    )
    monkeypatch.setattr(operator_api, "operator", lambda: client)
    with clock.frozen_at(NOW + dt.timedelta(hours=5)):
        assert actions.poll_letter(letter=letter) is None
    letter.refresh_from_db()
    assert letter.poll_failures == 1
    assert "did not answer in time" in letter.last_error
    assert letter.next_poll_at == NOW + dt.timedelta(hours=5, minutes=480)
    with clock.frozen_at(NOW + dt.timedelta(hours=13)):
        actions.poll_letter(letter=letter)
    letter.refresh_from_db()
    assert letter.next_poll_at == NOW + dt.timedelta(hours=13, minutes=960)

    def garbage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>gateway</html>")

    client = operator_api.Operator(
        httpx.Client(base_url="https://post.invalid", transport=httpx.MockTransport(garbage))
    )
    with clock.frozen_at(NOW + dt.timedelta(days=2)):
        actions.poll_letter(letter=letter)
    letter.refresh_from_db()
    assert letter.poll_failures == 3
    assert "not readable" in letter.last_error
    assert letter.status == LetterStatus.ACCEPTED  # nothing lost, nothing invented


def _signed(body: bytes, when: dt.datetime, secret: str = "test-post-webhook-secret") -> str:  # noqa: S107
    return Simulator.signed(body, secret, int(when.timestamp()))


@pytest.mark.django_db
def test_the_webhook_refuses_a_bad_signature_and_keeps_unknown_barcodes() -> None:
    letter = _letter_on_its_way()
    when = NOW + dt.timedelta(days=1)
    events = [
        {"barcode": letter.barcode, "id": "e1", "code": "IN_TRANSIT", "at": when.isoformat()},
        {"barcode": "RR999999990KZ", "id": "e2", "code": "DELIVERED", "at": when.isoformat()},
    ]
    body = json.dumps({"events": events}).encode()
    client = Client()
    with clock.frozen_at(when):
        forged = client.post(
            "/api/v1/post/webhook",
            body,
            content_type="application/json",
            HTTP_X_POST_SIGNATURE=_signed(body, when, "wrong-secret"),
        )
        assert forged.status_code == 401
        assert forged.json()["code"] == "bad_signature"
        stale = client.post(
            "/api/v1/post/webhook",
            body,
            content_type="application/json",
            HTTP_X_POST_SIGNATURE=_signed(body, when - dt.timedelta(hours=1)),
        )
        assert stale.status_code == 401
        bad = client.post(
            "/api/v1/post/webhook", b"{", content_type="application/json", HTTP_X_POST_SIGNATURE=_signed(b"{", when)
        )
        assert bad.status_code == 422
        assert not LetterEvent.objects.filter(source=EventSource.WEBHOOK).exists()
        good = client.post(
            "/api/v1/post/webhook", body, content_type="application/json", HTTP_X_POST_SIGNATURE=_signed(body, when)
        )
        again = client.post(
            "/api/v1/post/webhook", body, content_type="application/json", HTTP_X_POST_SIGNATURE=_signed(body, when)
        )
    assert good.json() == {"recorded": 1, "repeated": 0, "unknown": 1, "final": 0}
    assert again.json()["repeated"] == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_TRANSIT
    assert UnmatchedReport.objects.filter(barcode="RR999999990KZ", problem="unknown_barcode").exists()


@pytest.mark.django_db
def test_public_tracking_shows_status_and_dates_and_refuses_a_wrong_check_digit() -> None:
    letter = _letter_on_its_way()
    barcode = letter.barcode or ""
    client = Client()
    page = client.get("/ru/post/track/", {"barcode": barcode})
    assert page.status_code == 200
    html = page.content.decode()
    assert barcode in html
    assert "Ахметова" not in html  # status and dates only
    wrong = barcode[:10] + str((int(barcode[10]) + 1) % 10) + "KZ"
    refused = client.get("/ru/post/track/", {"barcode": wrong})
    assert refused.status_code == 400
    assert "контрольная цифра" in refused.content.decode().lower()
    unknown = client.get("/ru/post/track/", {"barcode": "RR123456785KZ"})
    assert unknown.status_code == 404
    api = client.get(f"/api/v1/post/track/{barcode}")
    assert api.status_code == 200
    assert api.json()["status"] == "accepted"
    assert client.get("/api/v1/post/track/RR12").status_code == 422


@pytest.mark.django_db
def test_the_demo_reproduces_the_published_share_of_final_statuses() -> None:
    from torelik.post import queries
    from torelik.post.demo import seed_demo_post

    court = court_office("1916").court
    with clock.frozen_at(NOW):
        summary = seed_demo_post(seed=7, count=1000)
        again = seed_demo_post(seed=7, count=1000)
        stats = queries.statistics(court_ids={court.pk}, start=dt.date(2026, 8, 1), end=dt.date(2026, 12, 1))
    assert (summary.letters, again.letters) == (1000, 1000)
    assert stats.sent == 1000
    assert stats.final_share is not None
    assert 0.97 <= stats.final_share <= 1.0  # 99 % in the court system's figures for 2015
    assert stats.average_days is not None
    assert 1.5 <= stats.average_days <= 6.0


@pytest.mark.django_db
def test_a_hybrid_batch_holds_each_letter_with_its_enclosure_under_a_signed_manifest() -> None:
    import hashlib
    import io
    import zipfile

    from torelik.post import manifests
    from torelik.post.models import enclosure

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    court = court_office("0215").court
    text = ["Сіз Бостандық аудандық сотына жауапкер ретінде шақырыласыз, 21.12.2026 сағат 10:00."]
    with clock.frozen_at(NOW):
        letters = [
            actions.prepare_letter(
                court=court,
                kind=LetterKind.HYBRID,
                recipient_name=f"Алушы {n}",
                address_text=ADDRESS,
                enclosures=[enclosure("subpoena", "Шақыру қағазы", f"0215-26-S-00000{n}", text)],
            )
            for n in (1, 2)
        ]
        package = actions.build_package(court=court, number="0215-TEST", letters=letters)
    files = zipfile.ZipFile(io.BytesIO(package.content))
    assert sorted(files.namelist()) == sorted(f"{x.barcode}.pdf" for x in letters)
    for item in package.manifest["items"]:
        pdf = files.read(item["file"])
        assert hashlib.sha256(pdf).hexdigest() == item["sha256"]
        printed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S607
        assert "жауапкер ретінде шақырыласыз" in printed
        assert item["barcode"] in printed.replace(" ", "")
    public = manifests.public_key_b64()
    assert manifests.verify(package.manifest, package.signature, public)
    tampered = {**package.manifest, "items": package.manifest["items"][:1]}
    assert not manifests.verify(tampered, package.signature, public)


@pytest.mark.django_db
def test_a_batch_the_operator_refuses_is_shown_retried_and_finally_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from torelik.post import tasks
    from torelik.post.errors import OperatorError
    from torelik.post.models import Batch, BatchStatus

    def unavailable(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": "maintenance"})

    client = operator_api.Operator(
        httpx.Client(base_url="https://post.invalid", transport=httpx.MockTransport(unavailable))
    )
    monkeypatch.setattr(operator_api, "operator", lambda: client)
    court = court_office("0215").court
    with clock.frozen_at(NOW):
        letter = actions.prepare_letter(
            court=court,
            kind=LetterKind.HYBRID,
            recipient_name="Ахметова Айгерим",
            address_text=ADDRESS,
            enclosures=[],
        )
        batch = actions.assemble_batch(court=court)
    assert batch is not None
    with pytest.raises(OperatorError):
        tasks.deliver_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (BatchStatus.ASSEMBLED, 1)
    assert "HTTP 503" in batch.last_error
    Batch.objects.filter(pk=batch.pk).update(attempts=tasks.DELIVERY_ATTEMPTS - 1)
    assert tasks.deliver_batch.call(batch_id=batch.pk)["failed"] == 1
    batch.refresh_from_db()
    letter.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert (letter.status, letter.batch_id) == (LetterStatus.PREPARED, None)  # back for the next batch
