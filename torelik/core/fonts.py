"""The fonts every printed document is set in: DejaVu (Debian's fonts-dejavu-core), which covers the
Kazakh letters (ә ғ қ ң ө ұ ү һ і) and Cyrillic. `register_fonts` makes them known to ReportLab once
per process; every PDF renderer (coupon, act, writ, apostille, subpoena, record, envelope) calls it."""

from collections.abc import Iterable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
FONT_PATH = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT_PATH = FONT_DIR / "DejaVuSans-Bold.ttf"
REGULAR: tuple[tuple[str, Path], ...] = ((FONT, FONT_PATH),)
REGULAR_AND_BOLD: tuple[tuple[str, Path], ...] = ((FONT, FONT_PATH), (BOLD_FONT, BOLD_FONT_PATH))


class FontMissingError(RuntimeError):
    """The server lacks a font a document is set in: a deployment fault, not bad input."""


def register_fonts(document: str, faces: Iterable[tuple[str, Path]] = REGULAR_AND_BOLD) -> None:
    """Register each (name, file) of `faces` with ReportLab unless it already is; `document` names
    what is being printed in the error a missing file raises."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, path in faces:
        if name in registered:
            continue
        if not path.is_file():
            raise FontMissingError(
                f"The {document} needs the font {name} at {path}: install Debian's fonts-dejavu-core."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
