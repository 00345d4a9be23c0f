"""People named in an act whom neither the case nor the shapes of initials and patronymics find
("свидетель Петров показал", "Куә Алия Бекова растады"), ADR 0063's next step:

- Russian text: Natasha's named-entity recogniser (Slovnet's news NER over Navec embeddings, models
  shipped in the package, CPU only), loaded once per process on first use;
- Kazakh text, which Natasha's model does not serve: surnames by their shape — the Russian-formed
  endings most Kazakh surnames carry (-ов/-ев/-ин, -ова/-ева/-ина) with a Kazakh or Russian case ending
  after them — with the given name written next to one (before it, or after it) taken along.

Each returns (start, end, surname) triples; `depersonalise.find_spans` decides what is kept (the
judge, the lawyers, a name after an office) and numbers them."""

import functools
import re
from typing import Any

UP = "А-ЯЁӘҒҚҢӨҰҮҺІ"
LO = "а-яёәғқңөұүһі"
_KK_CASE = "(?:ның|нің|тың|тің|дың|дің|ға|ге|қа|ке|на|не|а|е|ны|ні|ты|ті|ды|ді|да|де|та|те|нда|нде|дан|ден|тан|тен|нан|нен|мен|бен|пен)"  # noqa: E501 - data
_KK_SURNAME = re.compile(rf"(?<![{UP}{LO}-])[{UP}][{LO}]{{2,}}(?:ов|ев|ин)(?:а)?{_KK_CASE}?(?![{LO}])")
_CAPITALISED = re.compile(rf"[{UP}][{LO}]+")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n«»\"])\s*$")


@functools.cache
def _tagger() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def russian_people(text: str) -> list[tuple[int, int, str]]:
    """The PER spans of Natasha's recogniser; the surname is the word with a surname's ending, or the
    last word (Russian writes "Мария Иванова" and "Иванова Мария": the ending decides)."""
    from natasha import Doc
    from razdel import sentenize

    segmenter, tagger = _tagger()
    spans = []
    for sentence in sentenize(text):
        if not _MAY_NAME.search(sentence.text):
            continue  # no capitalised word past the first, and the first not shaped like a surname
        doc = Doc(sentence.text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        spans += [(sentence.start + s.start, sentence.start + s.stop) for s in doc.spans if s.type == "PER"]
    found = []
    for span_start, span_stop in spans:
        words = list(_CAPITALISED.finditer(text, span_start, span_stop))
        if not words or (len(words) == 1 and _ADJECTIVE.search(words[0].group())):
            continue  # a participle opening a sentence ("Допрошенный …") is not a person
        shaped = [w for w in words if _KK_SURNAME.fullmatch(w.group()) or _RU_SURNAME.search(w.group())]
        surname = (shaped or words)[0 if shaped else -1].group()
        found.append((words[0].start(), span_stop, surname))
    return found


# A sentence worth the recogniser's time: a capitalised word after its first word, or a first word with
# a surname's ending (the recogniser costs ~50 times the rules; most of an act's sentences have neither).
_MAY_NAME = re.compile(
    rf"\S\s+[«\"(]?[{UP}][{LO}]{{2,}}|^\s*[{UP}][{LO}]+(?:ов|ев|ин|ова|ева|ина|ский|ская|енко)[{LO}]{{0,3}}(?![{LO}])"
)
_ADJECTIVE = re.compile(r"(?<!ск)(?<!цк)(?:ый|ой|ое|ые|ие|ая|яя)$")
_RU_SURNAME = re.compile(rf"(?:ов|ев|ин|ова|ева|ина|ский|ская|цкий|цкая|енко|ук|юк|ян)[{LO}]{{0,3}}$")


def kazakh_people(text: str) -> list[tuple[int, int, str]]:
    """Surnames by their shape, with a given name written just before (not opening a sentence) or
    just after them."""
    found = []
    for m in _KK_SURNAME.finditer(text):
        start, end = m.start(), m.end()
        before = re.search(rf"([{UP}][{LO}]+)\s$", text[max(0, start - 30) : start])
        if before and not _KK_SURNAME.fullmatch(before.group(1)):  # two surnames side by side are two people
            word_start = start - len(before.group(0))
            if not _SENTENCE_END.search(text[max(0, word_start - 5) : word_start]):
                start = word_start
        after = re.match(rf"\s([{UP}][{LO}]+)(?![{LO}.])", text[end:])
        if after and not _KK_SURNAME.fullmatch(after.group(1)):
            end += after.end()
        found.append((start, end, m.group()))
    return found


def people(text: str, language: str) -> list[tuple[int, int, str]]:
    return kazakh_people(text) if language == "kk" else russian_people(text)
