"""A national data set written straight into PostgreSQL with COPY (ADR 0074).

Each case walks the path an ordinary case walks through the actions (registered, assigned by a
draw, accepted, in preparation, scheduled, heard, decided, in force, closed, archived), each step a
few days after the one before, and stops at the first step still in the future: a case registered
last week is waiting for acceptance, one from last year is closed. Every step writes what the actions
write: the journal entry, the status, the judge's draw (one per attempt), the terms its trigger opens
and closes (due dates through the working calendar), the hearing, the documents. Numbers are taken
from the registry's own counters, locked for the chunk, so they stay gap-free per court, year and
type. Cases are made in chunks in the order of time, each chunk one transaction that also advances
the run's progress row: an interrupted run resumes at the next chunk and writes the same cases.
"""

import datetime as dt
import hashlib
import json
import random
import time
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from torelik.archive.actions import store_content
from torelik.cases.case_numbers import format_case_number, type_code
from torelik.cases.models import CaseEventKind, CaseStatus, DocumentType, Instance
from torelik.core import clock
from torelik.core.identifiers import check_digit
from torelik.courts.models import CaseCategory, Court, CourtKind, Courtroom, Judge, JudgeSpecialisation
from torelik.deadlines.models import TermRule
from torelik.deadlines.working_calendar import WorkingCalendar, working_calendar
from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate
from torelik.national import queries
from torelik.national.models import GenerationRun

# What one case costs on disk with its journal, terms, documents, parties, draw, hearing and their
# indexes (measured: 305,000 cases took 3.8 GB with the network); the check asks for this with a margin.
BYTES_PER_CASE = 12_500
MARGIN = 1.25
DEFAULT_CHUNK = 5_000
DOCUMENT_POOL = 12
# The generator's beacon: every value is SHA-256 of a random "signature" kept in the proof, as drand's is.
BEACON_NAME = "generated"
BEACON_CHAIN = "torelik-national-generator"
BEACON_GENESIS = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
BEACON_PERIOD = 30

# The steps of an ordinary case and the days (low, high) each takes after the one before.
PATH: tuple[tuple[str, int, int], ...] = (
    (CaseStatus.REGISTERED, 0, 0),
    (CaseStatus.ASSIGNED, 0, 1),
    (CaseStatus.ACCEPTED, 1, 6),
    (CaseStatus.IN_PREPARATION, 1, 10),
    (CaseStatus.SCHEDULED, 3, 20),
    (CaseStatus.HEARD, 7, 45),
    (CaseStatus.DECIDED, 0, 5),
    (CaseStatus.IN_FORCE, 30, 40),
    (CaseStatus.CLOSED, 1, 10),
    (CaseStatus.ARCHIVED, 20, 120),
)
# Share of the country's first-instance cases by proceeding type (administrative offences dominate).
PROCEEDING_SHARE = {
    "civil": 0.55,
    "administrative_offence": 0.3,
    "criminal": 0.1,
    "administrative": 0.05,
}
# Per judge, how many cases a court of each kind takes compared with a district court.
KIND_WEIGHT = {
    CourtKind.DISTRICT: 1.0,
    CourtKind.SPECIALISED: 0.8,
    CourtKind.REGIONAL: 0.15,
    CourtKind.CASSATION: 0.05,
    CourtKind.SUPREME: 0.05,
}
INSTANCE_OF = {
    CourtKind.DISTRICT: Instance.FIRST,
    CourtKind.SPECIALISED: Instance.FIRST,
    CourtKind.REGIONAL: Instance.APPEAL,
    CourtKind.CASSATION: Instance.CASSATION,
    CourtKind.SUPREME: Instance.CASSATION,
}
SPECIALISED_TYPES = {
    "civil": ("civil",),
    "economic": ("civil",),
    "juvenile": ("civil", "criminal"),
    "criminal": ("criminal",),
    "investigative": ("criminal",),
    "administrative": ("administrative",),
    "administrative_offence": ("administrative_offence",),
}
SURNAMES = ("Ахметов", "Серікбаев", "Нұрланов", "Иванов", "Ким", "Жұмабаев", "Оспанов", "Сейітов", "Петров", "Әлиев")
GIVEN = ("Асхат", "Ерлан", "Данияр", "Айгүл", "Мадина", "Сергей", "Ольга", "Арман", "Жанар", "Тимур")
PATRONYMIC = ("Болатұлы", "Серікұлы", "Маратқызы", "Ерланқызы", "Иванович", "")
COMPANIES = ("ТОО «Алтын Сауда»", "АО «Қазақ Банкі»", "ТОО «Дала Құрылыс»", "АО «Energy Service»", "ТОО «Нұр Логистик»")


class GenerationError(Exception):
    """The generator refuses: the message says why and what to do."""


@dataclass(frozen=True)
class CourtInfo:
    id: int
    code: str
    instance: str
    types: tuple[str, ...]
    judges: dict[str, list[tuple[int, str]]]  # specialisation -> (id, public_id); "" for any
    names: dict[str, str]  # public id -> full name
    rooms: list[tuple[int, str]]


@dataclass(frozen=True)
class Category:
    id: int
    code: str
    proceeding_type: str
    specialisation: str
    complexity: Decimal


@dataclass
class Reference:
    courts: list[CourtInfo]
    weights: list[float]
    categories: dict[str, list[Category]]
    rules: list[TermRule]
    document_types: dict[str, int]
    files: list[tuple[int, str]]
    calendar: WorkingCalendar
    dues: dict[tuple[dt.date, int, str], dt.date] = field(default_factory=dict)
    working: dict[dt.date, bool] = field(default_factory=dict)
    part: int = 0
    parts: int = 1

    def is_working(self, day: dt.date) -> bool:
        found = self.working.get(day)
        if found is None:
            found = self.working[day] = self.calendar.is_working(day)
        return found

    def due(self, day: dt.date, amount: int, unit: str) -> dt.date:
        key = (day, amount, unit)
        found = self.dues.get(key)
        if found is None:
            found = self.dues[key] = self.calendar.add(day, amount, unit, explain=False).end
        return found


@dataclass
class Rows:
    """The rows of one chunk, table by table, in COPY order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.tables[table].append(row)


COLUMNS: dict[str, tuple[str, ...]] = {
    "identity_person": (
        "id", "public_id", "created_at", "updated_at", "iin", "surname", "given_name", "patronymic", "phone", "email",
        "preferred_language",
    ),
    "identity_organisation": (
        "id", "public_id", "created_at", "updated_at", "bin", "name", "address", "phone", "email", "preferred_language",
    ),
    "cases_case": (
        "id", "public_id", "created_at", "updated_at", "number", "year", "type_code", "sequence", "proceeding_type",
        "instance", "subject", "claim_amount", "status", "channel", "registered_at", "consent_sms", "consent_email",
        "category_id", "court_id", "judge_id", "coupon_secret",
    ),
    "cases_party": (
        "id", "public_id", "created_at", "updated_at", "role", "phone", "email", "address", "preferred_language",
        "case_id", "organisation_id", "person_id",
    ),
    "cases_document": (
        "id", "public_id", "created_at", "updated_at", "title", "author_name", "dated", "received_at", "page_count",
        "filename", "version", "case_id", "file_id", "document_type_id",
    ),
    "distribution_draw": (
        "id", "public_id", "created_at", "updated_at", "attempt", "reason", "reason_note", "status", "snapshot",
        "snapshot_sha256", "committed_at", "beacon", "beacon_chain", "beacon_round", "beacon_value", "beacon_proof",
        "seed", "picks", "tie_break", "probabilities", "drawn_at", "weight", "last_error", "case_id", "judge_id",
    ),
    "deadlines_term": (
        "id", "responsible", "status", "started_by", "event_date", "amount", "unit", "due_date", "original_due_date",
        "adjustments", "history", "opened_at", "closed_at", "closed_on", "ended_by", "case_id", "court_id", "judge_id",
        "rule_id",
    ),
    "hearings_hearing": (
        "id", "public_id", "created_at", "updated_at", "starts_at", "ends_at", "kind", "is_closed", "status", "reason",
        "case_id", "courtroom_id", "judge_id",
    ),
    "cases_caseevent": ("id", "kind", "occurred_at", "data", "case_id"),
}  # fmt: skip
ORDER = tuple(COLUMNS)  # parents before children


def estimate_bytes(cases: int) -> int:
    return int(cases * BYTES_PER_CASE * MARGIN)


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of text (the shared pool of stored contents)."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def load_reference(part: int = 0, parts: int = 1) -> Reference:
    specialisations: dict[int, set[str]] = defaultdict(set)
    for judge_id, specialisation in JudgeSpecialisation.objects.values_list("judge_id", "specialisation"):
        specialisations[judge_id].add(specialisation)
    judges: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for judge in Judge.objects.filter(is_active=True).select_related("person"):
        judge_id, public_id, court_id = judge.pk, judge.public_id, judge.court_id
        names[court_id][str(public_id)] = judge.person.full_name
        entry = (judge_id, str(public_id))
        judges[court_id][""].append(entry)
        for specialisation in specialisations[judge_id]:
            judges[court_id][specialisation].append(entry)
    rooms: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for room_id, court_id, number in Courtroom.objects.values_list("id", "court_id", "number"):
        rooms[court_id].append((room_id, number))
    courts, weights = [], []
    for court in Court.objects.filter(is_active=True).order_by("code"):
        if not judges[court.pk] or not rooms[court.pk]:
            continue
        types = (
            SPECIALISED_TYPES.get(court.specialisation, tuple(PROCEEDING_SHARE))
            if court.specialisation
            else tuple(PROCEEDING_SHARE)
        )
        courts.append(
            CourtInfo(
                id=court.pk,
                code=court.code,
                instance=INSTANCE_OF[CourtKind(court.kind)],
                types=types,
                judges={key: value for key, value in judges[court.pk].items()},
                names=names[court.pk],
                rooms=rooms[court.pk],
            )
        )
        weights.append(len(judges[court.pk][""]) * KIND_WEIGHT[CourtKind(court.kind)])
    # Parts take the courts in turn, from the biggest down, so that each has about the same volume.
    order = sorted(range(len(courts)), key=lambda i: -weights[i])
    mine = sorted(i for rank, i in enumerate(order) if rank % parts == part)
    courts, weights = [courts[i] for i in mine], [weights[i] for i in mine]
    if not courts:
        raise GenerationError(
            "No court with judges and courtrooms: load the court network first (torelik seed_demo --cases 0)."
        )
    categories: dict[str, list[Category]] = defaultdict(list)
    for row in CaseCategory.objects.filter(is_active=True, children=None).values_list(
        "id", "code", "proceeding_type", "specialisation", "complexity"
    ):
        categories[row[2]].append(Category(*row))
    rules = list(TermRule.objects.filter(enabled=True))
    document_types = dict(DocumentType.objects.values_list("code", "id"))
    files: list[tuple[int, str]] = []
    for index in range(DOCUMENT_POOL):
        stored = store_content(_pdf(f"Torelik national data set, document {index + 1}"), "application/pdf")
        files.append((stored.pk, stored.sha256))
    return Reference(
        courts, weights, categories, rules, document_types, files, working_calendar(), part=part, parts=parts
    )


def _rules_opened(
    rules: list[TermRule], trigger: str, proceeding_type: str, instance: str, category: str
) -> list[TermRule]:
    best: dict[str, tuple[int, TermRule]] = {}
    for rule in rules:
        if rule.starts_on != trigger:
            continue
        if rule.proceeding_types and proceeding_type not in rule.proceeding_types:
            continue
        if rule.instances and instance not in rule.instances:
            continue
        if rule.category_prefixes:
            matching = [len(p) for p in rule.category_prefixes if category.startswith(p)]
            if not matching:
                continue
            length = max(matching)
        else:
            length = 0
        if rule.slot not in best or best[rule.slot][0] < length:
            best[rule.slot] = (length, rule)
    return [rule for _, rule in best.values()]


class Ids:
    """Keys taken from each table's sequence in blocks, as the chunk needs them."""

    def __init__(self) -> None:
        self.free: dict[str, list[int]] = defaultdict(list)

    def take(self, table: str) -> int:
        free = self.free[table]
        if not free:
            free.extend(reversed(queries.next_ids(table, 16_384)))
        return free.pop()


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def canonical(value: Any) -> bytes:
    """RFC 8785 for what the generator's snapshots hold (ASCII keys, strings, integers, no floats), where
    it is sorted compact JSON in UTF-8: ten times faster than the general encoder (the test compares them)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Chunk:
    """Writes one chunk of cases: their rows built in memory, then one COPY per table."""

    def __init__(
        self,
        *,
        reference: Reference,
        rng: random.Random,
        counters: dict[tuple[int, int, str], int],
        identifiers: tuple[set[str], set[str]],
        slots: set[tuple[int, Any]],
        now: dt.datetime,
        loads: dict[str, int],
    ) -> None:
        self.ref = reference
        self.rng = rng
        self.counters = counters
        self.changed: dict[tuple[int, int, str], int] = {}
        self.iins, self.bins = identifiers
        self.slots = slots
        self.now = now
        self.today = now.date()
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.ids = Ids()
        self.rows = Rows()
        self.people: list[int] = []
        self.loads: dict[str, int] = loads
        self.organisations: list[int] = []

    # --- identities -------------------------------------------------------------------------------
    def _iin(self) -> str:
        while True:
            birth = dt.date(1950, 1, 1) + dt.timedelta(days=self.rng.randrange(20_000))
            century = (3 if birth.year < 2000 else 5) + self.rng.randrange(2)
            serial = self.rng.randrange(10_000 // self.ref.parts) * self.ref.parts + self.ref.part
            first = f"{birth:%y%m%d}{century}{serial:04d}"
            digit = check_digit(first)
            if digit is not None and first + str(digit) not in self.iins:
                value = first + str(digit)
                self.iins.add(value)
                return value

    def _bin(self) -> str:
        while True:
            serial = self.rng.randrange(100_000 // self.ref.parts) * self.ref.parts + self.ref.part
            first = (
                f"{self.rng.randrange(0, 25):02d}{self.rng.randrange(1, 13):02d}4{self.rng.randrange(2)}{serial:05d}"
            )
            digit = check_digit(first)
            if digit is not None and first + str(digit) not in self.bins:
                value = first + str(digit)
                self.bins.add(value)
                return value

    def person(self) -> int:
        if self.people and self.rng.random() < 0.25:
            return self.rng.choice(self.people)
        key = self.ids.take("identity_person")
        language = self.rng.choice(("kk", "ru"))
        self.rows.add(
            "identity_person",
            (
                key, _uuid(self.rng), self.now, self.now, self._iin(), self.rng.choice(SURNAMES),
                self.rng.choice(GIVEN), self.rng.choice(PATRONYMIC), f"+7701{self.rng.randrange(10**7):07d}", "",
                language,
            ),
        )  # fmt: skip
        self.people.append(key)
        return key

    def organisation(self) -> int:
        if len(self.organisations) > 20 and self.rng.random() < 0.8:
            return self.rng.choice(self.organisations)
        key = self.ids.take("identity_organisation")
        self.rows.add(
            "identity_organisation",
            (key, _uuid(self.rng), self.now, self.now, self._bin(), self.rng.choice(COMPANIES), "Астана", "", "", "ru"),
        )
        self.organisations.append(key)
        return key

    # --- one case ---------------------------------------------------------------------------------
    def _moment(self, day: dt.date, rng: random.Random) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(9 + rng.randrange(9), rng.randrange(60)), tzinfo=self.zone)

    def _slot(self, court: CourtInfo, day: dt.date) -> tuple[int, dt.datetime] | None:
        """A free half-hour of a courtroom of the court on a working day from `day` (first free)."""
        for _ in range(10):
            while not self.ref.is_working(day):
                day += dt.timedelta(days=1)
            for _ in range(6):
                room, _number = self.rng.choice(court.rooms)
                start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=self.zone) + dt.timedelta(
                    minutes=30 * self.rng.randrange(16)
                )
                if (room, start) not in self.slots:
                    self.slots.add((room, start))
                    return room, start
            day += dt.timedelta(days=1)
        return None

    def case(self, registered_at: dt.datetime) -> None:
        rng, ref = self.rng, self.ref
        court = rng.choices(ref.courts, weights=ref.weights)[0]
        shares = [PROCEEDING_SHARE[t] for t in court.types]
        proceeding_type = rng.choices(court.types, weights=shares)[0]
        category = rng.choice(ref.categories[proceeding_type])
        pool = court.judges.get(category.specialisation) or court.judges[""]
        year = registered_at.astimezone(self.zone).year
        code = type_code(proceeding_type, court.instance)
        key3 = (court.id, year, code)
        sequence = self.counters.get(key3, 0) + 1
        self.counters[key3] = self.changed[key3] = sequence
        number = format_case_number(court_code=court.code, year=year, type_code=code, sequence=sequence)
        case_id = self.ids.take("cases_case")
        case_public = _uuid(rng)

        # The steps reached by now.
        steps: list[tuple[str, dt.datetime]] = []
        day = registered_at
        hearing_at: tuple[int, dt.datetime] | None = None
        for status, low, high in PATH:
            if steps:
                later = self._moment((day + dt.timedelta(days=rng.randint(low, high))).date(), rng)
                day = max(later, day + dt.timedelta(minutes=rng.randint(5, 90)))
            if status == CaseStatus.HEARD:
                if hearing_at is None:
                    break
                day = hearing_at[1]
            if day > self.now:
                break
            steps.append((status, day))
            if status == CaseStatus.SCHEDULED:
                hearing_at = self._slot(court, (day + dt.timedelta(days=rng.randint(7, 45))).date())
        status = steps[-1][0]
        assigned = len(steps) > 1
        judge_id, draw = (
            self._draw(court, pool, category, number, case_public, registered_at) if assigned else (None, None)
        )

        claim = Decimal(rng.randrange(50_000, 50_000_000)) if proceeding_type == "civil" else None
        self.rows.add(
            "cases_case",
            (
                case_id, case_public, registered_at, steps[-1][1], number, year, code, sequence, proceeding_type,
                court.instance, "", claim, status, rng.choice(("paper", "judicial_office", "egov")), registered_at,
                False, False, category.id, court.id, judge_id if assigned else None, "",
            ),
        )  # fmt: skip

        # Parties: people with valid IINs, companies with valid BINs.
        if proceeding_type in ("criminal", "administrative_offence"):
            roles = [("accused", False), ("victim", False)] if proceeding_type == "criminal" else [("accused", False)]
        elif proceeding_type == "administrative":
            roles = [("claimant", False), ("defendant", True)]
        else:
            roles = [("claimant", rng.random() < 0.3), ("defendant", rng.random() < 0.15)]
        parties = []
        for role, is_company in roles:
            party_id = self.ids.take("cases_party")
            organisation = self.organisation() if is_company else None
            person = None if is_company else self.person()
            self.rows.add(
                "cases_party",
                (
                    party_id,
                    _uuid(rng),
                    registered_at,
                    registered_at,
                    role,
                    "",
                    "",
                    "",
                    "ru",
                    case_id,
                    organisation,
                    person,
                ),
            )
            parties.append({"role": role, "id": ""})

        events: list[tuple[str, dt.datetime, dict[str, Any]]] = []

        def document(kind: str, title: str, moment: dt.datetime) -> dict[str, Any]:
            file_id, sha256 = rng.choice(ref.files)
            public = _uuid(rng)
            self.rows.add(
                "cases_document",
                (
                    self.ids.take("cases_document"), public, moment, moment, title, "", moment.date(), moment,
                    1, f"{kind}.pdf", 1, case_id, file_id, ref.document_types[kind],
                ),
            )  # fmt: skip
            return {"id": public, "type": kind, "sha256": sha256}

        first = {"civil": "claim", "administrative": "claim", "criminal": "indictment"}.get(
            proceeding_type, "offence_protocol"
        )
        events.append(
            (
                CaseEventKind.REGISTERED,
                registered_at,
                {
                    "number": number,
                    "court": court.code,
                    "channel": "paper",
                    "category": category.code,
                    "parties": parties,
                    "documents": [document(first, first, registered_at)],
                    "generated": True,
                },
            )
        )

        # Terms: opened by each step's trigger, met (or missed) by a later one, left running otherwise.
        open_terms: list[dict[str, Any]] = []
        for index, (step, moment) in enumerate(steps):
            previous = steps[index - 1][0] if index else None
            if step == CaseStatus.ASSIGNED and draw is not None:
                draw_public = _uuid(rng)
                self.rows.add(
                    "distribution_draw",
                    (
                        self.ids.take("distribution_draw"), draw_public, draw["committed_at"], moment, 1, "first", "",
                        "drawn", draw["snapshot"], draw["sha256"], draw["committed_at"], BEACON_NAME, BEACON_CHAIN,
                        draw["round"], draw["value"], draw["proof"], draw["seed"], draw["picks"], draw["tie_break"],
                        draw["probabilities"], max(moment, draw["round_time"]), draw["weight"], "", case_id, judge_id,
                    ),
                )  # fmt: skip
                events.append(
                    (
                        CaseEventKind.ASSIGNED,
                        moment,
                        {
                            "judge": next(p for j, p in pool if j == judge_id),
                            "method": "assign/v1",
                            "draw": draw_public,
                            "attempt": 1,
                        },
                    )
                )
            elif step != CaseStatus.REGISTERED:
                events.append((CaseEventKind.STATUS_CHANGED, moment, {"from": previous, "to": step, "reason": ""}))
            if step == CaseStatus.ACCEPTED:
                events.append((CaseEventKind.DOCUMENT_ADDED, moment, document("ruling", "ruling", moment)))
            if step == CaseStatus.DECIDED:
                events.append((CaseEventKind.DOCUMENT_ADDED, moment, document("decision", "decision", moment)))
            if step == CaseStatus.SCHEDULED and hearing_at is not None and judge_id is not None:
                self._hearing(case_id, court, judge_id, hearing_at, steps, events, moment)
            # Close the open terms this step meets or ends.
            for term in list(open_terms):
                rule = term["rule"]
                if step in rule.ends_on or step in rule.lapses_on:
                    met = step in rule.ends_on
                    term.update(
                        status=("met" if moment.date() <= term["due"] else "missed") if met else "lapsed",
                        closed_at=moment,
                        ended_by=step,
                    )
                    open_terms.remove(term)
                    events.append(
                        (CaseEventKind.TERM_CLOSED, moment, {"trigger": step, "terms": [self._summary(term)]})
                    )
            opened = []
            for rule in _rules_opened(ref.rules, step, proceeding_type, court.instance, category.code):
                due = ref.due(moment.date(), rule.amount, rule.unit)
                term = {"id": self.ids.take("deadlines_term"), "rule": rule, "due": due, "opened_at": moment,
                        "trigger": step, "status": "running", "closed_at": None, "ended_by": ""}  # fmt: skip
                open_terms.append(term)
                opened.append(term)
                self._terms.append((term, case_id, court.id, judge_id if assigned else None))
            if opened:
                events.append(
                    (CaseEventKind.TERM_OPENED, moment, {"trigger": step, "terms": [self._summary(t) for t in opened]})
                )
        if status in (CaseStatus.CLOSED, CaseStatus.ARCHIVED):
            for term in open_terms:
                term.update(status="lapsed", closed_at=steps[-1][1], ended_by=status)
        for kind, moment, data in sorted(events, key=lambda e: e[1]):
            self.rows.add("cases_caseevent", (self.ids.take("cases_caseevent"), kind, moment, _json(data), case_id))

    def _draw(
        self,
        court: CourtInfo,
        pool: list[tuple[int, str]],
        category: Category,
        number: str,
        case_public: str,
        registered_at: dt.datetime,
    ) -> tuple[int, dict[str, Any]]:
        """The distribution's own algorithm over the court's pool (participation, load, days present),
        seeded by the snapshot's hash and a beacon value whose proof is its preimage: the protocol
        re-checks like any other (the beacon is the generator's, named as such, not drand)."""
        weight = int(category.complexity * 100)
        committed = registered_at + dt.timedelta(minutes=1)
        after = committed + dt.timedelta(seconds=5)
        round_number = int((after - BEACON_GENESIS).total_seconds() // BEACON_PERIOD) + 2
        round_time = BEACON_GENESIS + dt.timedelta(seconds=(round_number - 1) * BEACON_PERIOD)
        rows: list[dict[str, Any]] = [
            {"judge": public, "name": court.names.get(public, ""), "eligible": True, "exclusion": None,
             "rate": 1000, "load": self.loads.get(public, 0), "days_present": algorithm.DAYS_IN_WINDOW}
            for _id, public in pool
        ]  # fmt: skip
        snapshot = {
            "algorithm": algorithm.ALGORITHM,
            "case": {"id": case_public, "number": number, "court": court.code, "category": category.code,
                     "specialisation": category.specialisation, "weight": weight, "filed_at": _utc(registered_at)},
            "committed_at": _utc(committed),
            "reason": "first",
            "previous": None,
            "pool_rule": "generated",
            "beacon": {"name": BEACON_NAME, "chain": BEACON_CHAIN, "round": round_number,
                       "round_time": _utc(round_time), "after": _utc(after), "genesis": _utc(BEACON_GENESIS),
                       "period": BEACON_PERIOD},
            "judges": rows,
        }  # fmt: skip
        digest = algorithm.sha256_hex(canonical(snapshot))
        signature = self.rng.getrandbits(256).to_bytes(32, "big")
        value = hashlib.sha256(signature).digest()
        seed = algorithm.seed_for(digest, value)
        candidates = [
            Candidate(judge=r["judge"], rate=r["rate"], load=r["load"], days_present=r["days_present"]) for r in rows
        ]
        result = algorithm.draw(candidates, seed)
        chances = {k: algorithm.fraction_text(v) for k, v in algorithm.probabilities(candidates).items()}
        self.loads[result.result] = self.loads.get(result.result, 0) + weight
        judge_id = next(judge for judge, public in pool if public == result.result)
        return judge_id, {
            "committed_at": committed,
            "round": round_number,
            "round_time": round_time,
            "snapshot": _json(snapshot),
            "sha256": digest,
            "value": value.hex(),
            "proof": _json({"signature": signature.hex()}),
            "seed": seed.hex(),
            "picks": _json(list(result.picks)),
            "tie_break": result.tie_break,
            "probabilities": _json(chances),
            "weight": weight,
        }

    def _hearing(
        self,
        case_id: int,
        court: CourtInfo,
        judge_id: int,
        hearing_at: tuple[int, dt.datetime],
        steps: list[tuple[str, dt.datetime]],
        events: list[tuple[str, dt.datetime, dict[str, Any]]],
        scheduled: dt.datetime,
    ) -> None:
        room, starts = hearing_at
        held = starts <= self.now and any(step == CaseStatus.HEARD for step, _ in steps)
        public = _uuid(self.rng)
        self.rows.add(
            "hearings_hearing",
            (
                self.ids.take("hearings_hearing"), public, scheduled, starts if held else scheduled, starts,
                starts + dt.timedelta(minutes=30), "main", False, "held" if held else "scheduled", "", case_id, room,
                judge_id,
            ),
        )  # fmt: skip
        number = next(n for r, n in court.rooms if r == room)
        data = {"hearing": public, "starts_at": starts.isoformat(), "courtroom": number}
        events.append((CaseEventKind.HEARING_SCHEDULED, scheduled, data))
        if held:
            events.append((CaseEventKind.HEARING_HELD, starts + dt.timedelta(minutes=30), {"hearing": public}))

    @staticmethod
    def _summary(term: dict[str, Any]) -> dict[str, Any]:
        rule = term["rule"]
        return {
            "term": term["id"],
            "rule": rule.code,
            "names": {"kk": rule.name_kk, "ru": rule.name_ru, "en": rule.name_en},
            "due": term["due"].isoformat(),
            "status": term["status"],
        }

    _terms: list[tuple[dict[str, Any], int, int, int | None]]

    def build(self, moments: list[dt.datetime]) -> None:
        self._terms = []
        for moment in moments:
            self.case(moment)
        for term, case_id, court_id, judge_id in self._terms:
            rule: TermRule = term["rule"]
            closed = term["closed_at"]
            opened_at = term["opened_at"]
            history = [
                {"at": opened_at.isoformat(), "what": "opened", "due": term["due"].isoformat(), "by": term["trigger"]}
            ]
            if closed is not None:
                history.append(
                    {"at": closed.isoformat(), "what": "closed", "due": term["due"].isoformat(),
                     "status": term["status"], "by": term["ended_by"]}
                )  # fmt: skip
            self.rows.add(
                "deadlines_term",
                (
                    term["id"], rule.responsible, term["status"], term["trigger"], opened_at.date(), rule.amount,
                    rule.unit, term["due"], term["due"], "[]", _json(history), opened_at, closed,
                    closed.date() if closed else None, term["ended_by"], case_id, court_id, judge_id, rule.pk,
                ),
            )  # fmt: skip

    def write(self) -> None:
        for table in ORDER:
            rows = self.rows.tables.get(table)
            if rows:
                queries.copy_rows(table, COLUMNS[table], rows)
        queries.save_counters(self.changed)


@dataclass
class Progress:
    total: int
    done: int
    started: float = field(default_factory=time.monotonic)
    first: int = 0

    def __post_init__(self) -> None:
        self.first = self.done

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (self.done - self.first) / elapsed
        left = (self.total - self.done) / rate if rate else 0
        share = self.done / self.total if self.total else 1
        bar = "#" * int(share * 30)
        eta = f"{int(left // 60)}m{int(left % 60):02d}s" if rate else "?"
        return f"[{bar:<30}] {share:6.1%} {self.done:,}/{self.total:,} cases, {rate:,.0f} cases/s, ETA {eta}"


def _moments(run: GenerationRun, chunk: int, count: int, rng: random.Random, reference: Reference) -> list[dt.datetime]:
    """`count` registration moments within the chunk's slice of the period, in order of time."""
    span = (run.period_end - run.period_start) / run.chunks
    start = run.period_start + span * chunk
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moments: list[dt.datetime] = []
    while len(moments) < count:
        moment = (start + span * rng.random()).astimezone(zone)
        if reference.is_working(moment.date()) or rng.random() < 0.05:  # courts on duty register on days off too
            moment = moment.replace(hour=9 + rng.randrange(9), minute=rng.randrange(60))
            if moment <= run.period_end:
                moments.append(moment)
    moments.sort()
    return [m for m in moments]


def unfinished_runs() -> list[GenerationRun]:
    return list(GenerationRun.objects.filter(finished_at=None).order_by("part"))


def unfinished_run() -> GenerationRun | None:
    runs = unfinished_runs()
    return runs[0] if runs else None


def start_run(
    *, cases: int, years: int, seed: int, chunk_size: int, add: bool, parts: int = 1, check_disk: bool = True
) -> list[GenerationRun]:
    """A new run of `parts` rows, after the checks: PostgreSQL, an empty target (unless `add`), enough disk."""
    if not queries.is_postgresql():
        raise GenerationError(
            "The national data set is written with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database."
        )
    if cases < 1 or years < 1 or parts < 1:
        raise GenerationError("--cases, --years and --workers must be at least 1.")
    if queries.has_cases() and not add:
        raise GenerationError(
            "The target database has cases already: pass --add to add the national set to them, "
            "or give an empty database."
        )
    needed = estimate_bytes(cases)
    free = queries.free_bytes()
    if check_disk and free is not None and free < needed:
        raise GenerationError(
            f"Not enough free disk: the set needs about {needed / 1e9:.1f} GB, "
            f"the database's disk has {free / 1e9:.1f} GB."
        )
    now = clock.now()
    return [
        GenerationRun.objects.create(
            started_at=now,
            cases=cases // parts + (1 if part < cases % parts else 0),
            years=years,
            seed=seed,
            chunk_size=chunk_size,
            part=part,
            parts=parts,
            period_start=now - dt.timedelta(days=365 * years),
            period_end=now,
        )
        for part in range(parts)
    ]


def generate(run: GenerationRun, *, report: Callable[[str], None] = lambda line: None) -> Iterator[Progress]:
    """Write the run's remaining chunks, one transaction each; yields the progress after each."""
    reference = load_reference(run.part, run.parts)
    court_ids = [court.id for court in reference.courts]
    identifiers = queries.existing_identifiers()
    slots = queries.taken_slots()
    progress = Progress(total=run.cases, done=run.cases_done)
    now = run.period_end
    loads: dict[str, int] = {}
    for chunk in range(run.chunks_done, run.chunks):
        rng = random.Random((run.seed * 1_000_003 + chunk) * 64 + run.part)  # noqa: S311 - synthetic data, reproducible per chunk
        count = min(run.chunk_size, run.cases - chunk * run.chunk_size)
        with transaction.atomic():
            counters = queries.locked_counters(court_ids)
            writer = Chunk(
                reference=reference,
                rng=rng,
                counters=counters,
                identifiers=identifiers,
                slots=slots,
                now=now,
                loads=loads,
            )
            writer.build(_moments(run, chunk, count, rng, reference))
            writer.write()
            run.chunks_done = chunk + 1
            run.cases_done += count
            if run.chunks_done == run.chunks:
                run.finished_at = clock.now()
            run.save(update_fields=["chunks_done", "cases_done", "finished_at"])
        progress.done = run.cases_done
        yield progress
    queries.analyse()
