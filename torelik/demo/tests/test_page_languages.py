"""Every page of every role speaks the page's language: on the demo network with a case taken from
registration to a scheduled hearing, each role's pages are crawled in kk, ru and en (each route of the
site at most twice); none answers 5xx, and no kk or ru page shows a word in Latin letters (a raw code
such as `running` or `refiling_rule`, or an English word) beyond an allow-list of proper names and
abbreviations that are written in Latin letters in Kazakh and Russian too."""

import contextlib
import datetime as dt
import io
import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from torelik.access.demo import seed_demo_access
from torelik.acts.actions import draft_act
from torelik.acts.demo import seed_demo_acts
from torelik.acts.models import Act, Appeal
from torelik.cases.actions import PartyInput, change_status, register_case
from torelik.cases.demo import seed_demo_cases
from torelik.cases.models import Case, CaseStatus, Channel, DocumentDirection, DocumentType, Party, PartyRole
from torelik.cases.tests.factories import claim_document
from torelik.core import clock
from torelik.courts.demo import DEMO_PASSWORD, DEMO_SEED
from torelik.courts.models import CaseCategory, Court, Courtroom, StaffPosition, StaffRole
from torelik.demo.distribution import RealDraws
from torelik.demo.hearings import seed_demo_hearings
from torelik.demo.tests.migration_data import put_back_migration_data
from torelik.distribution.actions import complete_pending_draws
from torelik.filing.demo import seed_demo_filings
from torelik.hearings.actions import ParticipantInput, schedule_hearing
from torelik.hearings.errors import HearingError
from torelik.hearings.queries import case_people, free_slots
from torelik.hearings.working_hours import court_zone
from torelik.helpline.demo import seed_demo_calls
from torelik.identity.models import AccountKind, Person, User
from torelik.notifications.demo import seed_demo_messages
from torelik.portal.demo import seed_demo_library
from torelik.summons.demo import seed_demo_summons

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COURT = "1916"
# The known moment the crawled case is registered at (Tuesday 1 December 2026, 10:00 in Almaty).
REGISTERED_AT = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
# Written in Latin letters in Kazakh and Russian texts as well.
ALLOWED = {
    "SMS", "PDF", "SHA", "CSV", "JSON", "API", "URL", "QR", "EDS", "NCALayer", "iCalendar", "PAdES", "CMS", "JWT",
    "UTC", "ID", "IIN", "BIN", "HTTP", "HTTPS", "www", "Torelik", "drand", "OpenAPI", "HMAC", "Visa", "Mastercard",
    "WAV", "MP", "ISO", "English", "AUTH", "IP", "BagIt", "XLSX",
}  # fmt: skip
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_'’-]*")
NOISE = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|\b[0-9a-fA-F]{8,}\b|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|\b(?:sip|tel):\S+|\S*\.(?:pdf|png|jpg|jpeg|wav|mp3|mp4|webm|ics|py)\b|\b\d+[A-Za-z]{1,3}\d*\b"
    # identifiers with digits (base64, S10, assign/v1), subpoena numbers, a phone mask (+7 7XX XXX XX XX)
    r"|\b[A-Za-z]+\d+\w*|\b[a-z]+/v\d+\b|\b\d{4}-\d{2}-S-\d{6}\b|\bX+\b"
    # a law's number with its convocation in Roman numerals (ГПК РК № 377-V)
    r"|\b\d+-[IVX]+\b"
)
SKIPPED_ROUTES = {"logout", "admin", "set_language"}
SKIPPED_PATHS = re.compile(r"/admin/|/logout/|\.pdf$|\.ics$|/documents/[0-9a-f-]{36}/$|/sandbox-pay/|/media$")
PER_ROUTE = 2
PER_CRAWL = 120


class _Page(HTMLParser):
    """The visible text of a page (no scripts, styles or code samples) and the addresses it links to."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "code", "pre", "svg", "noscript", "template", "datalist"}:
            self._hidden += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name):
                self.text.append(str(values[name]))
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.text.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "code", "pre", "svg", "noscript", "template", "datalist"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


def latin_words(html: str) -> tuple[list[str], list[str]]:
    page = _Page()
    page.feed(html)
    text = NOISE.sub(" ", " ".join(page.text))
    return [w for w in LATIN_WORD.findall(text) if w.strip("'’-") not in ALLOWED], page.links


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client: Client, language: str, seeds: list[str]) -> Iterator[tuple[str, int, str]]:
    """(path, status, body) of each page reached from `seeds` within the language's prefix."""
    seen_routes: dict[str, int] = {}
    seen: set[str] = set()
    queue = deque(f"/{language}{seed}" for seed in seeds)
    visited = 0
    while queue and visited < PER_CRAWL:
        path = queue.popleft()
        if path in seen or SKIPPED_PATHS.search(urlsplit(path).path):
            continue
        seen.add(path)
        route = _route(urlsplit(path).path)
        if route is None or route in SKIPPED_ROUTES or seen_routes.get(route, 0) >= PER_ROUTE:
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        response = client.get(path)
        visited += 1
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        body = response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
        yield path, response.status_code, body
        _words, links = latin_words(body)
        for link in links:
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(f"/{language}/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))


def _world() -> tuple[dict[str, User | None], list[str]]:
    """The demo network, a paper claim in the demo court taken to a scheduled hearing with a draft act,
    an account of each role (None: a visitor), and the act pages to start from (the judge's draft and
    its signing page, a party's announced act, the public verification page)."""
    put_back_migration_data()
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    # Demo cases through every status (terms, journals, draws, appeals) and their hearings, subpoenas,
    # messages and e-filings, as `make run` loads them (fewer).
    seed_demo_cases(count=120, processes=0, distribution=RealDraws())
    seed_demo_hearings(seed=DEMO_SEED)
    seed_demo_summons(seed=DEMO_SEED)
    seed_demo_messages(seed=DEMO_SEED)
    seed_demo_filings(seed=DEMO_SEED)
    seed_demo_calls(seed=DEMO_SEED, count=300)
    seed_demo_acts(limit=4)
    seed_demo_library()
    seed_demo_access(seed=DEMO_SEED, password=DEMO_PASSWORD)
    DocumentType.objects.get_or_create(
        code="claim",
        defaults={"name_kk": "Талап арыз", "name_ru": "Исковое заявление", "name_en": "Statement of claim",
                  "direction": DocumentDirection.INCOMING},
    )  # fmt: skip
    court = Court.objects.get(code=COURT)
    clerk = User.objects.get(username="demo.clerk")
    category = CaseCategory.objects.filter(proceeding_type="civil", is_active=True).order_by("code").first()
    assert category is not None
    with clock.frozen_at(REGISTERED_AT):
        case = register_case(
            court=court,
            proceeding_type="civil",
            category_code=category.code,
            parties=[
                PartyInput(
                    role=PartyRole.CLAIMANT,
                    iin="871008401427",
                    surname="Сейткалиева",
                    given_name="Айгуль",
                    phone="+77011234567",
                    preferred_language="ru",
                ),
                PartyInput(
                    role=PartyRole.DEFENDANT,
                    iin="760212350620",
                    surname="Әбілқасымов",
                    given_name="Ерлан",
                    phone="+77027654321",
                    preferred_language="kk",
                ),
            ],  # fmt: skip
            documents=[claim_document()],
            actor=clerk,
            channel=Channel.PAPER,
            consent_sms=True,
            claim_amount=None,
        )
    # Registered at a known moment in the past: the beacon round after the commitment (one-second
    # rounds) is out on the wall clock too, so the draw completes at once on the frozen clock, with no
    # waiting on real time (a slower process, as under faketime in CI, missed a real-time round).
    with clock.frozen_at(REGISTERED_AT + dt.timedelta(minutes=1)):
        complete_pending_draws()
    case = Case.objects.select_related("judge__person", "court__region").get(pk=case.pk)
    assert case.judge is not None
    judge = User.objects.filter(person=case.judge.person).first()
    if judge is None:
        judge = User.objects.create_user(
            username="judge.drawn", password="a-long-passphrase-1", person=case.judge.person
        )
    StaffPosition.objects.get_or_create(user=judge, court=court, role=StaffRole.JUDGE)
    room = Courtroom.objects.filter(court=court).order_by("number").first()
    assert room is not None
    zone = court_zone(court)
    with clock.frozen_at(REGISTERED_AT + dt.timedelta(minutes=2)):
        change_status(case=case, to=CaseStatus.ACCEPTED, actor=judge, reason="Иск соответствует требованиям")
    # The hearing is the crawl's coming one: the day after the crawl's own clock (the demo's world is
    # built from it too; CI crawls again 400 days ahead, where a hearing of December 2026 is long past).
    day = clock.now().astimezone(zone).date() + dt.timedelta(days=1)
    while True:
        slots = free_slots(judge=case.judge, courtroom=room, day=day) if day.weekday() < 5 else []
        if slots:
            break
        day += dt.timedelta(days=1)
    starts = dt.datetime.combine(day, slots[0], tzinfo=zone)
    with contextlib.suppress(HearingError):  # a holiday: the pages are crawled without this hearing
        schedule_hearing(
            case=case,
            courtroom=room,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            actor=judge,
            participants=[ParticipantInput(role=item.role, person=item.person) for item in case_people(case)],
        )
    claimant = Person.objects.get(iin="871008401427")
    citizen = User.objects.filter(person=claimant).first() or User.objects.create_user(
        username="iin871008401427", password="a-long-passphrase-1", person=claimant, kind=AccountKind.CITIZEN
    )
    accounts: dict[str, User | None] = {"visitor": None, "citizen": citizen, "judge": judge}
    for role in (
        "clerk",
        "chairman",
        "secretary",
        "analyst",
        "psc_operator",
        "call_centre_operator",
        "entrance",
        "security",
    ):
        accounts[role] = User.objects.get(username=f"demo.{role}")
    draft = draft_act(case=case, kind="civil-decision", language="kk", actor=judge)
    announced = Act.objects.filter(announced_on__isnull=False).exclude(verify_token=None).order_by("pk").first()
    assert announced is not None
    if not Party.objects.filter(case=announced.case, person=claimant).exists():
        Party.objects.create(case=announced.case, role=PartyRole.THIRD_PARTY, person=claimant)
    seeds = [
        f"/acts/{draft.public_id}/",
        f"/acts/{draft.public_id}/sign/",
        f"/acts/{announced.public_id}/read/",
        f"/acts/verify/{announced.verify_token}/",
        "/acts/docket/",
        "/acts/appeals/",
        "/portal/",
        "/portal/library/",
    ]
    # The citizen is a party of a demo case whose appeal waits at the court: its term for responses shows.
    appeal = Appeal.objects.select_related("case").order_by("pk").first()
    if appeal is not None:
        if not Party.objects.filter(case=appeal.case, person=claimant).exists():
            Party.objects.create(case=appeal.case, role=PartyRole.THIRD_PARTY, person=claimant)
        seeds.append(f"/office/cases/{appeal.case.number}/")
    return accounts, seeds


SEEDS = [
    "/", "/courts/", "/office/", "/office/cases/", "/office/new/", "/office/psc/", "/office/statistics/", "/workspace/",
    "/cases/", "/cases/register/", "/cases/access-log/", "/hearings/calendar/", "/hearings/schedule/",
    f"/hearings/courts/{COURT}/", "/deadlines/", f"/distribution/monitoring/{COURT}/", "/deadlines/national/",
    "/deadlines/regions/19/", "/hearings/facility/", "/summons/", "/summons/statistics/",
    "/summons/verify/", "/summons/documents/", "/notifications/", "/accounts/eds/login/", "/accounts/login/",
    "/accounts/eds/staff/",
    "/helpline/", "/helpline/follow/", "/helpline/operator/", "/helpline/queue/", "/helpline/register/",
    "/helpline/statistics/",
    "/statistics/", "/statistics/staff/", "/statistics/staff/committee/", "/operations/audit/",
    "/access/entrance/", "/access/entrance/?iin=871008401427", "/access/security/", "/access/security/log/",
    "/access/security/bans/", "/access/security/devices/",
]  # fmt: skip


REQUIRED = {
    "cases:detail", "cases:docket", "filing:my_case", "filing:my_cases", "hearings:hearing", "hearings:calendar",
    "hearings:timetable", "hearings:schedule_case", "distribution:protocol", "distribution:monitoring",
    "summons:hearing_subpoenas", "courts:detail", "workspace", "home", "deadlines:court", "deadlines:judge",
    "reports:public", "reports:court",
    "acts:act", "acts:read", "acts:sign", "acts:verify", "acts:docket", "acts:appeals", "acts:case_acts",
    "summons:case_notices", "operations:audit", "access:entrance", "access:security", "access:log", "access:bans",
}  # fmt: skip
# An SVG coordinate written the page's way (`42,27` in kk and ru) is read by no browser: the chart is blank.
SVG_COORDINATE = re.compile(r"<svg[^>]*>.*?</svg>", re.S)
COORDINATE_VALUE = re.compile(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|viewBox|points)="([^"]*)"')


def test_no_kk_or_ru_page_of_any_role_shows_a_raw_code_or_an_english_word() -> None:
    accounts, act_seeds = _world()
    faults: list[str] = []
    reached: set[str] = set()
    for role, user in accounts.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for language in ("kk", "ru", "en"):
            for path, status, body in crawl(client, language, [*SEEDS, *act_seeds]):
                if status == 200:
                    reached.add(str(_route(urlsplit(path).path)))
                if status >= 500:
                    faults.append(f"{role} {path}: {status}")
                if language == "en" or not body:
                    continue
                coordinates = [v for svg in SVG_COORDINATE.findall(body) for v in COORDINATE_VALUE.findall(svg)]
                if any(not re.fullmatch(r"[-\d. ]*", value) for value in coordinates):
                    faults.append(f"{role} {path}: a chart's coordinates written with the page's numbers")
                words, _links = latin_words(body)
                if words:
                    faults.append(f"{role} {path}: {sorted(set(words))[:12]}")
    print(sorted(reached))  # noqa: T201 - which routes the crawl reached, when it fails
    assert not faults, "\n".join(faults)
    # The crawl reached the pages that hold codes (journals, terms, draws, hearings, dashboards).
    assert reached >= REQUIRED, sorted(REQUIRED - reached)
