"""One chunk of generated cases: their rows built in memory as the actions would write them, then one COPY
per table (ADR 0074)."""

import datetime as dt
import hashlib
import json
import random
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from torelik.cases.case_numbers import format_case_number, type_code
from torelik.cases.models import CaseEventKind, CaseStatus
from torelik.core.identifiers import check_digit
from torelik.deadlines.models import TermRule
from torelik.distribution import algorithm
from torelik.distribution.algorithm import Candidate
from torelik.national import queries
from torelik.national.reference import (
    COMPANIES,
    GIVEN,
    PATH,
    PATRONYMIC,
    PROCEEDING_SHARE,
    SURNAMES,
    Category,
    CourtInfo,
    Reference,
    rules_opened,
)

# The generator's beacon: every value is SHA-256 of a random "signature" kept in the proof, as drand's is.
BEACON_NAME = "generated"
BEACON_CHAIN = "torelik-national-generator"
BEACON_GENESIS = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
BEACON_PERIOD = 30


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


class Ids:
    """Keys taken from each table's sequence in blocks, as the chunk needs them."""

    def __init__(self) -> None:
        self.free: dict[str, list[int]] = defaultdict(list)
        self.last: dict[str, int] = {}

    def take(self, table: str) -> int:
        free = self.free[table]
        if not free:
            block = queries.next_ids(table, 16_384, self.last.get(table, 0))
            self.last[table] = block[-1]
            free.extend(reversed(block))
        return free.pop()


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def canonical(value: Any) -> bytes:
    """RFC 8785 for what the generator's snapshots hold (ASCII keys, strings, integers, no floats), where
    it is sorted compact JSON in UTF-8: ten times faster than the general encoder `core.canonical`, which
    it equals byte for byte on such values (test_generate compares them); kept apart on purpose, for speed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def registration_moments(
    reference: Reference, rng: random.Random, start: dt.datetime, span: dt.timedelta, until: dt.datetime, count: int
) -> list[dt.datetime]:
    """`count` registration moments within `span` from `start` and not after `until`, on working days in
    office hours at whole minutes (a few on days off: courts on duty register then too), in order of time."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moments: list[dt.datetime] = []
    while len(moments) < count:
        moment = (start + span * rng.random()).astimezone(zone)
        if reference.is_working(moment.date()) or rng.random() < 0.05:
            moment = moment.replace(hour=9 + rng.randrange(9), minute=rng.randrange(60), second=0, microsecond=0)
            if moment <= until:
                moments.append(moment)
    moments.sort()
    return moments


class Chunk:
    """Writes one chunk of cases: their rows built in memory, then one COPY per table."""

    # Days from scheduling a case to its hearing (low, high), before the first free slot is looked for.
    hearing_lead: tuple[int, int] = (7, 45)

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
        judge_slots: set[tuple[int | None, Any]] | None = None,
    ) -> None:
        self.ref = reference
        self.rng = rng
        self.counters = counters
        self.changed: dict[tuple[int, int, str], int] = {}
        self.iins, self.bins = identifiers
        self.slots = slots
        self.judge_slots: set[tuple[int | None, Any]] = judge_slots if judge_slots is not None else set()
        self.now = now
        self.today = now.date()
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.ids = Ids()
        self.rows = Rows()
        self.people: list[int] = []
        self.loads: dict[str, int] = loads
        self.organisations: list[int] = []

    def alongside(self, reference: Reference) -> "Chunk":
        """A chunk of `reference`'s courts written in the same transaction as this one: the same draws,
        counters, identifiers, slots, loads, people and organisations (a plain `Chunk`, whatever this is)."""
        other = Chunk(
            reference=reference,
            rng=self.rng,
            counters=self.counters,
            identifiers=(self.iins, self.bins),
            slots=self.slots,
            judge_slots=self.judge_slots,
            now=self.now,
            loads=self.loads,
        )
        other.people, other.organisations = self.people, self.organisations
        return other

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

    def _slot(
        self, court: CourtInfo, day: dt.date, judge: int | None, scheduled: dt.datetime
    ) -> tuple[int, dt.datetime] | None:
        """A half-hour of a courtroom of the court on a working day from `day` (first free) in which
        neither the room nor the case's judge sits in another hearing (`day` is after `scheduled`)."""
        for _ in range(10):
            while not self.ref.is_working(day):
                day += dt.timedelta(days=1)
            found = self._free_slot(court, day, judge, tries=6)
            if found is not None:
                return found
            day += dt.timedelta(days=1)
        return None

    def _free_slot(
        self, court: CourtInfo, day: dt.date, judge: int | None, tries: int
    ) -> tuple[int, dt.datetime] | None:
        """A half-hour of `day` free for a room of the court and for `judge`, taken; None after `tries`."""
        for _ in range(tries):
            room, _number = self.rng.choice(court.rooms)
            start = dt.datetime.combine(day, dt.time(9, 0), tzinfo=self.zone) + dt.timedelta(
                minutes=30 * self.rng.randrange(16)
            )
            if (room, start) not in self.slots and (judge, start) not in self.judge_slots:
                self.slots.add((room, start))
                self.judge_slots.add((judge, start))
                return room, start
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
        judge_id: int | None = None
        draw: dict[str, Any] | None = None
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
            if status == CaseStatus.ASSIGNED:  # the draw first: the hearing's slot must be free for its judge
                judge_id, draw = self._draw(court, pool, category, number, case_public, registered_at)
            if status == CaseStatus.SCHEDULED:
                lead = dt.timedelta(days=rng.randint(*self.hearing_lead))
                hearing_at = self._slot(court, (day + lead).date(), judge_id, day)
        status = steps[-1][0]
        assigned = len(steps) > 1

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
            for rule in rules_opened(ref.rules, step, proceeding_type, court.instance, category.code):
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
