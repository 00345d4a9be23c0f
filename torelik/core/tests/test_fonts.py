from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from torelik.core.fonts import FONT, FONT_PATH, FontMissingError, register_fonts


def test_a_missing_font_is_a_clear_error_naming_the_document(tmp_path: Path) -> None:
    missing = tmp_path / "DejaVuSans.ttf"
    with pytest.raises(
        FontMissingError, match=r"The subpoena needs the font DejaVuSans-NotThere at .*fonts-dejavu-core"
    ):
        register_fonts("subpoena", (("DejaVuSans-NotThere", missing),))
    assert "DejaVuSans-NotThere" not in pdfmetrics.getRegisteredFontNames()


def test_a_registered_font_is_not_looked_up_again(tmp_path: Path) -> None:
    if not FONT_PATH.is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    register_fonts("act")
    # Registered once: a later call with a path that does not exist does not touch the disk.
    register_fonts("act", ((FONT, tmp_path / "gone.ttf"),))
    assert FONT in pdfmetrics.getRegisteredFontNames()
