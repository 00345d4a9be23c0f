"""The annotated sample of acts the masking is measured on (ADR 0063): templates written as courts
write (initials, inflected surnames in Russian and Kazakh, addresses with "кв.", "мкр.", "-пәтер"),
filled with five sets of people, each marked with what must be masked; and the measure itself,
precision and recall per kind of identifier. Used by the tests and by `make bench`."""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from torelik.publication.depersonalise import KnownPerson, Span, find_spans

DATA = Path(__file__).parent / "data"
_MARK = re.compile(r"\[\[(?P<kind>[a-z_]+):(?P<text>.+?)\]\]")


@dataclass(frozen=True)
class AnnotatedAct:
    language: str
    text: str
    expected: list[tuple[int, int, str]]
    people: list[KnownPerson]
    keep: list[str]


def _parse(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    out: list[str] = []
    expected = []
    position = 0
    length = 0
    for m in _MARK.finditer(marked):
        before = marked[position : m.start()]
        out.append(before)
        length += len(before)
        expected.append((length, length + len(m.group("text")), m.group("kind")))
        out.append(m.group("text"))
        length += len(m.group("text"))
        position = m.end()
    out.append(marked[position:])
    return "".join(out), expected


def sample() -> list[AnnotatedAct]:
    templates: list[tuple[str, str]] = []
    for block in (DATA / "annotated_templates.txt").read_text(encoding="utf-8").split("=== ")[1:]:
        language, _newline, body = block.partition("\n")
        templates.append((language.strip(), body.strip()))
    people = json.loads((DATA / "annotated_people.json").read_text(encoding="utf-8"))
    acts = []
    for values in people:
        for language, body in templates:
            filled = re.sub(r"\{(\w+)\}", lambda m, v=values: v[m.group(1)], body)  # type: ignore[misc]
            text, expected = _parse(filled)
            surname = values["SK"] if language == "kk" else values["S"]
            patronymic = values["PK"] if language == "kk" else values["P"]
            acts.append(
                AnnotatedAct(
                    language=language,
                    text=text,
                    expected=expected,
                    people=[KnownPerson(surname, values["N"], patronymic)],
                    keep=[],
                )
            )
    return acts


@dataclass(frozen=True)
class Score:
    kind: str
    expected: int
    found: int
    recalled: int
    correct: int

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def measure(acts: list[AnnotatedAct]) -> dict[str, Score]:
    """Recall: an expected span whose every character is masked. Precision: a masked span that lies
    over something that had to be masked (of any kind)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for act in acts:
        spans: list[Span] = find_spans(act.text, language=act.language, people=act.people, keep=act.keep)
        masked = [False] * len(act.text)
        for span in spans:
            for i in range(span.start, span.end):
                masked[i] = True
        must = [False] * len(act.text)
        for start, end, kind in act.expected:
            counts[kind][0] += 1
            if all(masked[start:end]):
                counts[kind][2] += 1
            for i in range(start, end):
                must[i] = True
        for span in spans:
            counts[span.kind][1] += 1
            if any(must[span.start : span.end]):
                counts[span.kind][3] += 1
    return {kind: Score(kind, *values) for kind, values in sorted(counts.items())}
