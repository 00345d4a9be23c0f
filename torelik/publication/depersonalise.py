"""Depersonalisation of an act's text (ADR 0063): what is masked is found by rules for the identifiers
whose formats are known (IIN with its check digit, +7 phones, e-mail, plates, IBAN, cards, identity
documents, birth dates, addresses with their markers), and by the names of the people known to the
case in every inflected form (Russian and Kazakh endings after a stem), and by the shapes courts write
names in (a surname with initials, a full name with a patronymic), and by the recogniser
(`recogniser.py`: Natasha's NER in Russian, surname shapes in Kazakh, ADR 0112) for the people written
without either ("свидетель Петров показал"). Names are replaced consistently
within one act ("ФИО-1" in Russian, "ТАӘ-1" in Kazakh); the names given as `keep` (the judge, the
lawyers acting in their profession) and the names of organisations stay.

The result is the list of spans over the source text; `apply` writes the labels in. A reviewer adds or
removes spans before the act is published."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum

from torelik.core.identifiers import check_digit
from torelik.publication import recogniser


class SpanKind(StrEnum):
    NAME = "name"
    IIN = "iin"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"
    DOCUMENT = "document"
    PLATE = "plate"
    ACCOUNT = "account"
    CARD = "card"


LABELS = {
    "ru": {
        SpanKind.IIN: "[ИИН]",
        SpanKind.PHONE: "[телефон]",
        SpanKind.EMAIL: "[e-mail]",
        SpanKind.ADDRESS: "[адрес]",
        SpanKind.BIRTH_DATE: "[дата рождения]",
        SpanKind.DOCUMENT: "[номер документа]",
        SpanKind.PLATE: "[госномер]",
        SpanKind.ACCOUNT: "[счёт]",
        SpanKind.CARD: "[карта]",
    },
    "kk": {
        SpanKind.IIN: "[ЖСН]",
        SpanKind.PHONE: "[телефон]",
        SpanKind.EMAIL: "[e-mail]",
        SpanKind.ADDRESS: "[мекенжай]",
        SpanKind.BIRTH_DATE: "[туған күні]",
        SpanKind.DOCUMENT: "[құжат нөмірі]",
        SpanKind.PLATE: "[мемлекеттік нөмір]",
        SpanKind.ACCOUNT: "[шот]",
        SpanKind.CARD: "[карта]",
    },
}
NAME_LABEL = {"ru": "ФИО-{}", "kk": "ТАӘ-{}"}

UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LO = "а-яёәғқңөұүһі"
LETTER = f"[{UP}{LO}]"
WORD = f"[{UP}][{LO}]+(?:-[{UP}][{LO}]+)?"
INITIALS = f"[{UP}]\\.(?:\\s?[{UP}]\\.)?"
PATRONYMIC = f"[{UP}][{LO}]+(?:ович|евич|овн|евн|ичн)[{LO}]{{0,3}}(?![{LO}])|[{UP}][{LO}]+\\s?(?:ұлы|қызы)[{LO}]{{0,5}}(?![{LO}])"  # noqa: E501 - data

_IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+7|8)[\s\-]?\(?7\d{2}\)?[\s\-]?\d{3}[\s\-]?\d{2}[\s\-]?\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLATE = re.compile(r"(?<![\w])\d{3}\s?[A-Z]{2,3}\s?\d{2}(?![\w])")
_IBAN = re.compile(r"(?<![\w])KZ\d{2}[0-9A-Z]{16}(?![\w])")
_CARD = re.compile(r"(?<!\d)(?:\d{4}[\s-]?){3}\d{4}(?!\d)")
_DOCUMENT = re.compile(
    rf"(?:удостоверени{LETTER}* личности|паспорт{LETTER}*|жеке куәлі{LETTER}*|водительск{LETTER}* удостоверени{LETTER}*)"  # noqa: E501 - data
    r"[^\d\n]{0,12}?(?P<value>[A-Z]?\d{6,9})",
)
_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}"
_BIRTH = re.compile(
    rf"(?:(?:дата рождения|родивш{LETTER}+(?:ся|ся)?|г\.\s?р\.|туған күні|туылған)[:,]?\s*(?P<after>{_DATE})(?:\s?(?:г\.|года|ж\.))?)"  # noqa: E501 - data
    r"|(?P<year>\d{4}\s?ж(?:ылы|\.)\s?(?:туған|туылған))"
    rf"|(?P<before>{_DATE})(?:\s?(?:г\.|года|ж\.))?\s?(?:г\.\s?р\.|года рождения|рождения|туған|туылған)"
)
_ADDRESS = re.compile(
    rf"(?:(?:г\.|город|қаласы,?)\s?{WORD},?\s)?"
    rf"(?:(?:ул\.|улица|пр\.|пр-т|проспект|мкр\.|микрорайон|пер\.|переулок)\s?{WORD}(?:[\s-]\d+)?"
    rf"|{WORD}(?:\s[{LO}]+)?(?:[\s-]\d+)?\s(?:көшесі|даңғылы|шағын ауданы|ш/а|ықшамауданы))"
    rf"(?:,?\s?(?:д\.|дом)\s?\d+[{LO}/\d]*|,?\s?\d+[{LO}/\d]*(?:\s?үй|-үй)?)?"
    rf"(?:,?\s?(?:кв\.|квартира)\s?\d+|,?\s?\d+\s?(?:пәтер|-пәтер))?"
)
_SURNAME_INITIALS = re.compile(rf"(?P<surname>{WORD})\s{INITIALS}(?!\s?[{UP}])|{INITIALS}\s?(?P<surname2>{WORD})")
_FULL_NAME = re.compile(rf"(?P<surname>{WORD})\s{WORD}\s(?:{PATRONYMIC})")

# After these words a name is the court's or a profession's, kept.
_KEPT_BEFORE = re.compile(
    r"(?:судья|судьи|судьёй|судьей|судье|судьяның|судьясы|секретар\w*|хатшы\w*|прокурор\w*|адвокат\w*|защитник\w*|"
    r"представител\w+ по доверенности|нотариус\w*|председательствующ\w+|төрағалық ететін|обвинител\w*|айыптаушы\w*|қорғаушы\w*)"  # noqa: E501 - data
    r"(?:\s*(?:судебного заседания|—|-|адвокат\w*))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    label: str
    text: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class KnownPerson:
    """A private person of the case whose name must go in every form."""

    surname: str
    given_name: str = ""
    patronymic: str = ""


def is_iin(value: str) -> bool:
    """A 12-digit number with a valid check digit whose fifth digit is the tens of a day (0–3): an IIN,
    not a BIN of a legal entity (which is kept)."""
    if len(value) != 12 or not value.isdigit() or value[4] not in "0123":
        return False
    return check_digit(value[:11]) == int(value[11])


def stem(word: str) -> str:
    """The unchanging part of a name under Russian and Kazakh inflection: Ахметова → Ахметов(а|ой|у),
    Ахметов → Ахметов(а|у|ым), Айгерим → Айгерим(ге|нің)."""
    lowered = word
    for ending in ("ова", "ева", "ёва", "ина", "ына", "ая", "яя"):
        if lowered.endswith(ending) and len(lowered) > len(ending) + 2:
            return word[: -1 if ending not in ("ая", "яя") else -2]
    if len(word) > 4 and word[-1] in "аяеиыоуь":
        return word[:-1]
    return word


def _name_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    stems = sorted({stem(w) for w in words if len(w) >= 3}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(rf"(?<![{UP}{LO}])(?:{'|'.join(re.escape(s) for s in stems)})[{LO}]{{0,6}}(?![{UP}{LO}])")


_CASE_ENDINGS = sorted(
    (
        "ой",
        "ым",
        "ом",
        "ому",
        "ого",
        "ую",
        "ның",
        "нің",
        "тың",
        "тің",
        "дың",
        "дің",
        "ға",
        "ге",
        "қа",
        "ке",
        "дан",
        "ден",
    ),
    key=len,
    reverse=True,
)


class _Names:
    """Numbers people consistently within one act, by the stem of their surname."""

    def __init__(self, language: str) -> None:
        self.template = NAME_LABEL.get(language, NAME_LABEL["ru"])
        self.numbers: dict[str, int] = {}

    def label(self, surname: str) -> str:
        key = stem(surname).lower()
        for ending in _CASE_ENDINGS:
            if key.endswith(ending) and len(key) - len(ending) >= 3:
                key = key[: -len(ending)]
                break
        for known in self.numbers:
            if min(len(known), len(key)) >= 3 and (known.startswith(key) or key.startswith(known)):
                key = known
                break
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.template.format(self.numbers[key])


def find_spans(
    text: str,
    *,
    language: str,
    people: Sequence[KnownPerson] = (),
    keep: Sequence[str] = (),
    iins: Sequence[str] = (),
    recognise: bool = True,
) -> list[Span]:
    """Every span to mask in `text`, non-overlapping, in order of position. `recognise` adds the
    people found by `recogniser` (Natasha's NER in Russian, surname shapes in Kazakh)."""
    labels = LABELS.get(language, LABELS["ru"])
    kept_stems = {stem(w).lower() for name in keep for w in name.replace(".", " ").split() if len(w) >= 3}
    found: list[Span] = []

    def add(start: int, end: int, kind: SpanKind, label: str) -> None:
        found.append(Span(start, end, str(kind), label, text[start:end]))

    for m in _IBAN.finditer(text):
        add(m.start(), m.end(), SpanKind.ACCOUNT, labels[SpanKind.ACCOUNT])
    for m in _CARD.finditer(text):
        add(m.start(), m.end(), SpanKind.CARD, labels[SpanKind.CARD])
    for m in _IIN.finditer(text):
        if is_iin(m.group()) or m.group() in iins or re.search(r"(?:ИИН|ЖСН)[:\s№]*$", text[: m.start()]):
            add(m.start(), m.end(), SpanKind.IIN, labels[SpanKind.IIN])
    for m in _PHONE.finditer(text):
        add(m.start(), m.end(), SpanKind.PHONE, labels[SpanKind.PHONE])
    for m in _EMAIL.finditer(text):
        add(m.start(), m.end(), SpanKind.EMAIL, labels[SpanKind.EMAIL])
    for m in _PLATE.finditer(text):
        add(m.start(), m.end(), SpanKind.PLATE, labels[SpanKind.PLATE])
    for m in _DOCUMENT.finditer(text):
        add(m.start("value"), m.end("value"), SpanKind.DOCUMENT, labels[SpanKind.DOCUMENT])
    for m in _BIRTH.finditer(text):
        group = next(g for g in ("after", "year", "before") if m.group(g))
        add(m.start(group), m.end(group), SpanKind.BIRTH_DATE, labels[SpanKind.BIRTH_DATE])
    for m in _ADDRESS.finditer(text):
        add(m.start(), m.end(), SpanKind.ADDRESS, labels[SpanKind.ADDRESS])

    names = _Names(language)
    for person in people:  # the parties first: ФИО-1 is the first party named by the case
        names.label(person.surname)

    def in_office(start: int) -> bool:
        return bool(_KEPT_BEFORE.search(text[max(0, start - 40) : start]))

    def kept(start: int, surname: str) -> bool:
        return stem(surname).lower() in kept_stems or in_office(start)

    for m in _FULL_NAME.finditer(text):
        if not kept(m.start(), m.group("surname")):
            add(m.start(), m.end(), SpanKind.NAME, names.label(m.group("surname")))
    for m in _SURNAME_INITIALS.finditer(text):
        surname = m.group("surname") or m.group("surname2")
        if not kept(m.start(), surname):
            add(m.start(), m.end(), SpanKind.NAME, names.label(surname))
    for person in people:
        pattern = _name_pattern([person.surname])
        if pattern is not None:
            for m in pattern.finditer(text):  # a party's name is masked even where a judge shares it
                if not in_office(m.start()):
                    add(m.start(), m.end(), SpanKind.NAME, names.label(person.surname))
        given = _name_pattern([w for w in (person.given_name, person.patronymic) if w])
        if given is not None:
            for m in given.finditer(text):
                if not in_office(m.start()):
                    add(m.start(), m.end(), SpanKind.NAME, names.label(person.surname))
    if recognise:
        for start, end, surname in recogniser.people(text, language):
            if not kept(start, surname):
                add(start, end, SpanKind.NAME, names.label(surname))
    return _joined_names(text, _without_overlaps(found))


_INITIALS_AFTER = re.compile(rf"\s?{INITIALS}")


def _joined_names(text: str, spans: list[Span]) -> list[Span]:
    """One span for one person: a surname, name and patronymic masked word by word become one, and
    the initials that follow a masked surname go with it."""
    joined: list[Span] = []
    for span in spans:
        if span.kind == SpanKind.NAME:
            after = _INITIALS_AFTER.match(text, span.end)
            if after:
                span = Span(span.start, after.end(), span.kind, span.label, text[span.start : after.end()])
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == span.kind == SpanKind.NAME
            and previous.label == span.label
            and not text[previous.end : span.start].strip()
        ):
            joined[-1] = Span(previous.start, span.end, span.kind, span.label, text[previous.start : span.end])
            continue
        if previous is not None and span.start < previous.end:
            continue
        joined.append(span)
    return joined


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The longest span wins where two overlap (a full name over its surname alone)."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if chosen and span.start < chosen[-1].end:
            continue
        chosen.append(span)
    return chosen


def apply(text: str, spans: Sequence[Span]) -> str:
    """The text with each span replaced by its label."""
    out: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < position:
            continue
        out.append(text[position : span.start])
        out.append(span.label)
        position = span.end
    out.append(text[position:])
    return "".join(out)


def spans_from(data: Iterable[dict[str, object]]) -> list[Span]:
    return [
        Span(int(str(d["start"])), int(str(d["end"])), str(d["kind"]), str(d["label"]), str(d.get("text", "")))
        for d in data
    ]


def depersonalise(
    text: str,
    *,
    language: str,
    people: Sequence[KnownPerson] = (),
    keep: Sequence[str] = (),
    iins: Sequence[str] = (),
) -> tuple[str, list[Span]]:
    spans = find_spans(text, language=language, people=people, keep=keep, iins=iins)
    return apply(text, spans), spans
