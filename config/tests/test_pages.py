"""Pages in three languages, the staff login, health endpoints."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import formats, translation

from torelik.archive.file_store import LocalFileStore
from torelik.courts.models import StaffRole
from torelik.courts.tests.factories import CourtFactory, PersonFactory
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def test_root_redirects_to_kazakh_the_state_language(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("kk", "Қазақстан Республикасының соттары"),
        ("ru", "Суды Республики Казахстан"),
        ("en", "Courts of the Republic of Kazakhstan"),
    ],
)
def test_home_page_speaks_the_language_of_its_prefix(client: Client, prefix: str, heading: str) -> None:
    page = client.get(f"/{prefix}/").content.decode()
    assert f'<html lang="{prefix}">' in page
    assert heading in page


def test_language_switcher_links_to_the_same_page_in_each_language(client: Client) -> None:
    CourtFactory.create(code="0215")
    page = client.get("/ru/courts/0215/").content.decode()
    for code in ("kk", "ru", "en"):
        assert f'href="/{code}/courts/0215/" hreflang="{code}"' in page


def test_staff_member_logs_in_and_sees_their_positions(client: Client) -> None:
    court = CourtFactory.create(code="0215", name_en="Burabay District Court")
    user = User.objects.create_user(
        username="clerk.burabay", password="a-long-passphrase-1", person=PersonFactory.create()
    )
    user.positions.create(court=court, role=StaffRole.CLERK)
    response = client.post(
        "/en/accounts/login/", {"username": "clerk.burabay", "password": "a-long-passphrase-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/en/workspace/"  # staff land on their workspace
    page = client.get("/en/workspace/").content.decode()
    assert "Burabay District Court" in page
    assert "Court office clerk" in page


def test_wrong_password_is_refused_in_the_users_language(client: Client) -> None:
    User.objects.create_user(username="clerk.burabay", password="a-long-passphrase-1")
    page = client.post("/ru/accounts/login/", {"username": "clerk.burabay", "password": "nope"}).content.decode()
    assert "Пожалуйста, введите правильные" in page


def test_workspace_needs_a_login(client: Client) -> None:
    response = client.get("/kk/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/accounts/login/")


def test_healthz_answers_while_the_process_runs(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def _worker_seen(name: str, seconds_ago: float) -> None:
    from django.utils import timezone

    from torelik.workers.models import WorkerProcess

    moment = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerProcess.objects.create(pk=name, hostname="w1", pid=4242, queues="*", started_at=moment, seen_at=moment)


def test_readyz_checks_database_and_file_store(client: Client) -> None:
    _worker_seen("w1-4242", 5)
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["file_store"]["status"] == "ok"
    assert body["checks"]["workers"] == {"status": "ok", "alive": 1}


def test_readyz_reports_a_worker_not_seen_for_a_minute(client: Client) -> None:
    """The web process still serves (200), but says the background work has stopped somewhere."""
    _worker_seen("w1-4242", 5)
    _worker_seen("w2-4243", 61)
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["workers"]["status"] == "error"
    assert [w["worker"] for w in body["checks"]["workers"]["not_seen"]] == ["w2-4243"]


def test_readyz_reports_when_no_worker_runs(client: Client) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["workers"]["error"] == "no worker has been seen within a minute"


def test_readyz_is_503_when_the_file_store_is_unreachable(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_check(self: LocalFileStore) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(LocalFileStore, "check", broken_check)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["file_store"] == {
        "status": "error",
        "ms": response.json()["checks"]["file_store"]["ms"],
        "error": "read-only file system",
    }


def test_unknown_page_is_404_in_the_site_layout(client: Client) -> None:
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_kazakh_dates_and_numbers_follow_kazakh_usage() -> None:
    with translation.override("kk"):
        # Django's Kazakh catalog capitalises month names; the order and the "ж." are ours.
        assert formats.date_format(dt.date(2026, 11, 29)).casefold() == "2026 ж. 29 қараша"
        assert formats.date_format(dt.date(2026, 11, 29), "SHORT_DATE_FORMAT") == "29.11.2026"
        assert formats.number_format(1500000.5, 2, force_grouping=True) == "1\xa0500\xa0000,50"


def test_a_citizen_sees_only_their_own_menus_and_no_workspace(client: Client) -> None:
    citizen = User.objects.create_user(
        username="citizen", password="a-long-passphrase-1", person=PersonFactory.create()
    )
    client.force_login(citizen)
    page = client.get("/en/").content.decode()
    assert 'href="/en/office/cases/"' in page  # My cases
    assert 'href="/en/workspace/"' not in page
    assert 'href="/en/cases/"' not in page
    workspace = client.get("/en/workspace/")
    assert workspace.status_code == 302
    assert workspace["Location"] == "/en/office/"


def test_staff_see_the_workspace_and_the_docket_not_the_office(client: Client) -> None:
    court = CourtFactory.create(code="0215")
    clerk = User.objects.create_user(username="clerk", password="a-long-passphrase-1", person=PersonFactory.create())
    clerk.positions.create(court=court, role=StaffRole.CLERK)
    client.force_login(clerk)
    page = client.get("/en/").content.decode()
    assert 'href="/en/workspace/"' in page
    assert 'href="/en/cases/"' in page
    assert 'href="/en/office/cases/"' not in page


def test_the_favicon_is_there(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("torelik/favicon.svg")
    found = finders.find("torelik/favicon.svg")
    assert found is not None
    assert "<svg" in Path(str(found)).read_text(encoding="utf-8")
