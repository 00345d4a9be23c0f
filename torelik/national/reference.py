"""What the generator draws from: the network of courts, judges, courtrooms and categories as the database
holds it, the rules of the terms, the pool of stored documents, and the shares of the country's cases (ADR 0074)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from torelik.archive.actions import store_content
from torelik.cases.models import CaseStatus, DocumentType, Instance
from torelik.courts.models import CaseCategory, Court, CourtKind, Courtroom, Judge, JudgeSpecialisation
from torelik.deadlines.models import TermRule
from torelik.deadlines.rule_book import fit
from torelik.deadlines.working_calendar import WorkingCalendar, working_calendar
from torelik.national.errors import GenerationError

DOCUMENT_POOL = 12

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


def one_line_pdf(text: str) -> bytes:
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
        stored = store_content(one_line_pdf(f"Torelik national data set, document {index + 1}"), "application/pdf")
        files.append((stored.pk, stored.sha256))
    return Reference(
        courts, weights, categories, rules, document_types, files, working_calendar(), part=part, parts=parts
    )


def rules_opened(
    rules: list[TermRule], trigger: str, proceeding_type: str, instance: str, category: str
) -> list[TermRule]:
    """The rules a moment of the case opens: the most specific per slot, as the deadlines' rule book picks."""
    best: dict[str, tuple[int, TermRule]] = {}
    for rule in rules:
        if rule.starts_on != trigger:
            continue
        length = fit(rule, proceeding_type=proceeding_type, instance=instance, category_code=category)
        if length is not None and (rule.slot not in best or best[rule.slot][0] < length):
            best[rule.slot] = (length, rule)
    return [rule for _, rule in best.values()]
