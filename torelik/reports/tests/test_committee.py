"""The periodic report to the legal statistics committee against the movement of the known journal worked
out by hand (`journal.known_journal`: every case there is civil), its signed payload checked by the
project's verifier, its exports, its page and the workers' job that makes it once."""

import datetime as dt
import io
import json

import pytest
from asn1crypto import cms
from django.test import Client
from openpyxl import load_workbook
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.core.asyncrun import run_coroutine
from torelik.courts.models import StaffRole
from torelik.identity.eds import validation_context
from torelik.reports import actions, committee, dashboard
from torelik.reports.errors import ReportsError
from torelik.reports.models import CommitteeReturn
from torelik.reports.tests.journal import TODAY, Network, known_journal

pytestmark = pytest.mark.django_db


def _signed_by(content: bytes, signature: bytes) -> str | None:
    """The organisational unit of the signer when the detached CMS signature is intact, valid and trusted
    by the project's trust roots (pyHanko, as shared/recipes.md says), else None."""
    signed_data = cms.ContentInfo.load(signature)["content"]
    status = run_coroutine(
        async_validate_detached_cms(content, signed_data, signer_validation_context=validation_context())
    )
    if not (status.intact and status.valid and status.trusted):
        return None
    return str(status.signing_cert.subject.native["organizational_unit_name"])


@pytest.fixture
def net() -> Network:
    return known_journal()


def test_the_first_quarter_of_the_country_row_by_row(net: Network) -> None:
    with clock.frozen_at(TODAY):
        report = committee.report("2025-Q1", dashboard.country(), language="en")
    civil = {r.key: report.value(r.key, "civil") for r in report.rows}
    # Pending on 31 Dec 2024: three (registered 20 Mar 2023). Received in Q1: one (10 Jan), two (5 Feb),
    # four (10 Feb), five (1 Feb in Almaty); electronically one, four and five. Disposed: four returned
    # 12 Feb (2 days), one decided 1 Mar (50 days), both within 3 months of registration. Pending on 31 Mar:
    # two, three, five.
    assert civil == {
        "pending_start": 1,
        "instituted": 4,
        "instituted_electronically": 3,
        "reopened": 0,
        "disposed": 2,
        "disposed_decided": 1,
        "disposed_returned": 1,
        "disposed_refused": 0,
        "disposed_closed": 0,
        "disposed_other": 0,
        "disposed_in_term": 2,
        "disposed_late": 0,
        "pending_end": 3,
        "average_days": 26.0,
    }
    assert report.value("2") == 4  # the total column
    assert report.value("1", "criminal") == 0
    assert report.balanced
    assert [c.key for c in report.columns] == ["civil", "criminal", "administrative", "administrative_offence", "total"]
    assert report.format == "torelik.reports.committee/1"


def test_the_half_year_counts_the_case_resumed_in_may(net: Network) -> None:
    with clock.frozen_at(TODAY):
        report = committee.report("2025-H1", dashboard.country())
    # Five was decided on 10 April (68 days, within its term to 1 May) and resumed on 5 May.
    assert (report.value("1"), report.value("2"), report.value("3"), report.value("4"), report.value("7")) == (
        1,
        4,
        1,
        3,
        3,
    )
    assert report.value("5") == 3
    assert report.value("8") == 40.0
    assert report.period.start == dt.date(2025, 1, 1)
    assert report.period.end == dt.date(2025, 6, 30)


def test_a_courts_report_is_its_own_and_signed_by_its_seal(net: Network) -> None:
    with clock.frozen_at(TODAY):
        signed = committee.payload("2025-Q1", dashboard.court(net.court_b))
    report = signed.report
    # Court B: three pending since 2023, four received and returned.
    assert (report.value("1"), report.value("2"), report.value("4.2"), report.value("7")) == (1, 1, 1, 1)
    assert report.signer.court_code == net.court_b.code
    body = json.loads(signed.content)
    assert body["format"] == "torelik.reports.committee/1"
    assert body["scope"] == {"level": "court", "code": net.court_b.code, "name": net.court_b.name_kk}
    assert body["language"] == "kk"
    assert _signed_by(signed.content, signed.signature) == f"COURT{net.court_b.code}"
    assert _signed_by(signed.content.replace(b'"instituted"', b'"Instituted"'), signed.signature) is None


def test_a_day_is_no_reporting_period(net: Network) -> None:
    with pytest.raises(ReportsError):
        committee.report("2025-03-14", dashboard.country())


def test_the_workers_make_each_report_once(net: Network) -> None:
    # On 2 April 2025 the month of March and the first quarter have just ended.
    assert actions.ended_periods(dt.date(2025, 4, 2)) == ["2025-03", "2025-Q1"]
    assert actions.ended_periods(dt.date(2026, 1, 1)) == ["2025-12", "2025-Q4", "2025-H2", "2025"]
    with clock.frozen_at(dt.datetime(2025, 4, 2, 2, 0, tzinfo=TODAY.tzinfo)):
        made = actions.make_due_committee_returns(clock.today())
        again = actions.make_due_committee_returns(clock.today())
    # Each period: the country, the two regions and the two courts with cases moving in it (March: only
    # court A, where one was decided; the quarter: both).
    assert made == 3 + 5
    assert again == 0
    quarter = CommitteeReturn.objects.get(period="2025-Q1", level="court", place_code=net.court_a.code)
    body = json.loads(bytes(quarter.content))
    assert body["period"]["text"] == "2025-Q1"
    assert _signed_by(bytes(quarter.content), bytes(quarter.signature)) == f"COURT{net.court_a.code}"
    # The analyst downloads the report as it was signed, byte for byte.
    client = Client()
    client.force_login(staff_user("analyst.1101", net.court_a, StaffRole.ANALYST))
    page = f"/ru/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1"
    assert client.get(page + "&format=json").content == bytes(quarter.content)
    assert client.get(page + "&format=p7s").content == bytes(quarter.signature)


def test_the_analysts_page_in_kazakh_with_its_exports(net: Network) -> None:
    analyst = staff_user("analyst.1101", net.court_a, StaffRole.ANALYST)
    client = Client()
    client.force_login(analyst)
    with clock.frozen_at(TODAY):
        page = client.get(f"/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Келіп түскені" in html or 'id="row-instituted"' in html
        csv = client.get(f"/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1&format=csv")
        rows = csv.content.decode("utf-8-sig").splitlines()
        # Court A, Q1: one and two and five received; the civil column is the third, the total the last.
        assert rows[2].split(",")[0] == "2"
        assert rows[2].split(",")[2] == "3"
        assert rows[2].split(",")[-1] == "3"
        book = load_workbook(
            io.BytesIO(
                client.get(
                    f"/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1&format=xlsx"
                ).content
            )
        )
        assert book.sheetnames == ["form", "definitions"]
        signed = client.get(f"/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-Q1&format=json")
        assert json.loads(signed.content)["scope"]["code"] == net.court_a.code
        assert client.get(f"/kk/statistics/staff/committee/?court={net.court_b.code}&period=2025-Q1").status_code == 404
        bad = client.get(f"/kk/statistics/staff/committee/?court={net.court_a.code}&period=2025-03-14")
        assert bad.status_code == 400
        assert Client().get("/kk/statistics/staff/committee/").status_code == 302
        # The court's staff dashboard links to its report; without a place the analyst gets their court's.
        board = client.get(f"/kk/statistics/staff/courts/{net.court_a.code}/?period=2025").content.decode()
        assert f'href="/kk/statistics/staff/committee/?court={net.court_a.code}"' in board
        default = client.get("/kk/statistics/staff/committee/?period=2025-Q1").content.decode()
        assert net.court_a.name_kk in default


def test_the_reports_go_to_legal_statistics_through_the_exchanges_outbox(
    net: Network, settings: object, django_capture_on_commit_callbacks: object
) -> None:
    """Each report the workers make is handed, once, to the exchange's outbox for the Committee on Legal
    Statistics (issue 27's "the monthly report reaches legal statistics"; its delivery, signature and
    retries are the exchange's own tests)."""
    import base64

    from torelik.exchange.models import OutboundEvent

    settings.TORELIK_EXCHANGE_URL = "http://127.0.0.1:9"  # type: ignore[attr-defined]
    settings.TORELIK_EXCHANGE_PARTNERS = {  # type: ignore[attr-defined]
        "legal_statistics": {"timeout": 2.0, "secret": "insecure-development-legal_statistics-secret"}
    }
    with (
        clock.frozen_at(dt.datetime(2025, 4, 2, 2, 0, tzinfo=TODAY.tzinfo)),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        made = actions.make_due_committee_returns(clock.today())
    events = OutboundEvent.objects.filter(partner="legal_statistics", event_type="statistical_report")
    assert made == events.count() == 8
    assert not CommitteeReturn.objects.filter(handed_over_at__isnull=True).exists()
    quarter = CommitteeReturn.objects.get(period="2025-Q1", level="court", place_code=net.court_b.code)
    quarters = [e.payload for e in events if e.payload["period"] == "2025-Q1"]
    assert sorted((p.get("scope") or {}).get("code", "") for p in quarters) == sorted(
        ["", "", "", net.court_a.code, net.court_b.code]
    )  # the country and the two regions go without a court
    court_b = next(p for p in quarters if (p.get("scope") or {}).get("code") == net.court_b.code)
    assert base64.b64decode(court_b["document_base64"]) == bytes(quarter.content)
    # Court B's quarter, by hand (see the test above): one pending at the start, one received.
    values = {(f["code"], f["key"]): f["value"] for f in court_b["figures"]}
    assert values[("pending_start", committee.TOTAL)] == 1
    assert values[("instituted", committee.TOTAL)] == 1
    with clock.frozen_at(dt.datetime(2025, 4, 2, 3, 0, tzinfo=TODAY.tzinfo)):
        actions.hand_to_exchange(return_id=quarter.pk)
    assert events.count() == 8  # handed once
