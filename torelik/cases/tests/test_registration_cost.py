"""What one registration through the API costs, and that answering it from the rows it wrote (rather
than reading them back) answers exactly what reading the case gives."""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from torelik.cases.models import Case, CaseEvent, CaseEventKind, Document, Party
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    OTHER_IIN,
    CourtOffice,
    court_office,
    pdf_bytes,
    registration_body,
)
from torelik.core import clock
from torelik.core.rows import created_or_read
from torelik.identity.models import Organisation, Person

pytestmark = pytest.mark.django_db

# The filing below (three parties, two new contents, a claimant who consents to SMS): session, user,
# court, the clerk's position, category, document types, one insert per new content, the transaction,
# the number, the case, people (one read; both known after the warm-up), organisations, one insert of
# the parties, one of the documents, the representative's links, the journal entry, the term opened
# with its journal entry, the claimant's SMS login to the documents (summons: 10 statements, the
# first of which finds who may be reached at all), the documents' entries of the transparency log (one
# insert) and the court's distributor task (one insert, written with the registration so that no case
# is left without its draw: ADR 0042) with the request id that enqueued it (one insert, so that the
# worker's log lines carry it: ADR 0080). Before the parties and documents were batched and the answer
# built from them, it took 48; before summons read the parties with their case, court and region at
# once, 35. The statistics' counters of the registration (reports: instituted and the backlog) add
# one upsert, written from the event without reading anything. The claimant's SMS login draws the
# registration's check code (the coupon's secret), now journaled as `coupon_issued` for the statistics'
# coupons (ADR 0109): the entry, its counter's read of it and upsert, less the read-back of the secret.
MAX_STATEMENTS_PER_REGISTRATION = 37

# Almaty time: the moments of the answer must still be those the case gives when it is read back.
MARCH_2026 = dt.datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=5)))


@pytest.fixture(autouse=True)
def _march_2026() -> Iterator[None]:
    with clock.frozen_at(MARCH_2026):
        yield


@pytest.fixture
def office() -> CourtOffice:
    return court_office("0215")


def _filing(office: CourtOffice) -> dict[str, Any]:
    """The API tests' claim, with a lawyer for the claimant and the power of attorney."""
    filing = registration_body(office)
    filing["parties"].append(
        {"role": "lawyer", "iin": OTHER_IIN, "surname": "Жумабаев", "given_name": "Ерлан", "represents": 0}
    )
    filing["documents"].append(
        {"document_type": "power_of_attorney", "file": "poa", "author_party": 2, "dated": "2026-02-27"}
    )
    return filing


def _post(client: Client, filing: dict[str, Any], tag: str = "") -> Any:
    return client.post(
        "/api/v1/cases",
        {
            "data": json.dumps(filing),
            "claim": SimpleUploadedFile("claim.pdf", pdf_bytes(f"claim {tag}")),
            "poa": SimpleUploadedFile("poa.pdf", pdf_bytes(f"power of attorney {tag}")),
        },
    )


def _login(office: CourtOffice) -> Client:
    client = Client()
    client.force_login(office.clerk)
    return client


def test_the_answer_to_a_registration_is_the_case_as_it_reads_back(office: CourtOffice) -> None:
    client = _login(office)
    posted = _post(client, _filing(office))
    assert posted.status_code == 201, posted.content
    number = posted.json()["number"]
    read = client.get(f"/api/v1/cases/{number}")
    assert read.status_code == 200
    # The same bytes but for the registration moment, answered (as always) as the clock gave it: the
    # documents' moments are those read back (UTC).
    moment = '"registered_at": "2026-03-02T10:00:00.123+05:00"'
    assert moment in posted.content.decode()
    assert (
        posted.content.decode().replace(moment, '"registered_at": "2026-03-02T05:00:00.123Z"') == read.content.decode()
    )
    claimant, _defendant, lawyer = Party.objects.filter(case__number=number).order_by("id")
    assert lawyer.represents == claimant
    assert lawyer.power_of_attorney == Document.objects.get(
        case__number=number, document_type__code="power_of_attorney"
    )
    assert lawyer.power_of_attorney.author_party == lawyer


def test_known_people_keep_their_record_and_new_ones_take_the_first_naming(office: CourtOffice) -> None:
    Person.objects.create(iin=CLAIMANT_IIN, surname="Сейткалиева", given_name="Айгуль", phone="+77019999999")
    filing = _filing(office)
    filing["parties"][0]["surname"] = "Другая"  # a known person is not renamed by a filing
    filing["parties"].append(
        {"role": "third_party", "iin": OTHER_IIN, "surname": "Иной", "given_name": "Ерлан", "represents": None}
    )
    body = _post(_login(office), filing).json()
    assert [p["name"] for p in body["parties"]] == [
        "Сейткалиева Айгуль",
        'ТОО "Алатау Строй"',
        "Жумабаев Ерлан",
        "Жумабаев Ерлан",
    ]
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == "+77019999999"
    assert Person.objects.filter(iin=OTHER_IIN).count() == 1
    assert Organisation.objects.get(bin=COMPANY_BIN).name == 'ТОО "Алатау Строй"'
    event = CaseEvent.objects.get(case__number=body["number"], kind=CaseEventKind.REGISTERED)
    assert [p["id"] for p in event.data["parties"]] == [CLAIMANT_IIN, COMPANY_BIN, OTHER_IIN, OTHER_IIN]
    assert [d["id"] for d in event.data["documents"]] == [d["id"] for d in body["documents"]]


def test_a_person_created_meanwhile_by_another_registration_is_read_not_refused() -> None:
    """The race of two registrations naming one new IIN: ours found nobody, the other inserted first."""
    other = Person.objects.create(iin=CLAIMANT_IIN, surname="Сейткалиева", given_name="Айгуль")
    with transaction.atomic():
        found = created_or_read({CLAIMANT_IIN: Person(iin=CLAIMANT_IIN, surname="Иная", given_name="Ая")}, "iin")
        assert found[CLAIMANT_IIN].pk == other.pk
        assert found[CLAIMANT_IIN].surname == "Сейткалиева"
        assert Person.objects.count() == 1  # the transaction goes on (no aborted statement on PostgreSQL)


def test_a_registration_costs_a_fixed_number_of_statements(office: CourtOffice) -> None:
    client = _login(office)
    assert _post(client, _filing(office), "warm-up").status_code == 201  # caches of the process (term rules)
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, _filing(office), "measured")
    assert response.status_code == 201, response.content
    assert len(captured.captured_queries) <= MAX_STATEMENTS_PER_REGISTRATION, "\n".join(
        q["sql"][:120] for q in captured.captured_queries
    )
    assert Case.objects.count() == 2
