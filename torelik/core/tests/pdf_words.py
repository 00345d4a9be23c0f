"""A PDF's words with their boxes, read back by poppler's `pdftotext -bbox`: what a test checks to find
text that overlaps other text or runs off the page (a header cell too narrow for its translation, a
name cut at the margin)."""

import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser

from conftest import skip_or_fail


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float


class _Boxes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[Page] = []
        self.words: list[Word] = []
        self._box: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "page":
            self.pages.append(Page(float(values["width"]), float(values["height"])))
        elif tag == "word":
            self._box = values

    def handle_data(self, data: str) -> None:
        if self._box is not None:
            box = self._box
            self.words.append(
                Word(
                    len(self.pages),
                    data,
                    float(box["xmin"]),
                    float(box["ymin"]),
                    float(box["xmax"]),
                    float(box["ymax"]),
                )
            )
            self._box = None


def words_of(pdf: bytes) -> tuple[list[Page], list[Word]]:
    if shutil.which("pdftotext") is None:
        skip_or_fail("poppler's pdftotext is not installed: apt-get install poppler-utils")
    result = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
        timeout=30,
    )
    parser = _Boxes()
    parser.feed(result.stdout.decode())
    return parser.pages, parser.words


def overlapping(words: list[Word], slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of words on one page whose boxes cover each other by more than `slack` points each way."""
    found = []
    for index, a in enumerate(words):
        for b in words[index + 1 :]:
            if a.page != b.page:
                continue
            if min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(a.y0, b.y0) > slack:
                found.append((a.text, b.text))
    return found


def off_the_page(pages: list[Page], words: list[Word], margin: float = 0.0) -> list[str]:
    """Words that reach beyond the page's edge (less `margin` points on each side)."""
    out = []
    for word in words:
        page = pages[word.page - 1]
        if word.x0 < margin or word.y0 < 0 or word.x1 > page.width - margin or word.y1 > page.height:
            out.append(word.text)
    return out
