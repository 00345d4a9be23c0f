"""The dashboards' counts are grouped by the page's language: a national count of more than a million
terms read as "1148438" (issue 24's national page)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from torelik.deadlines.queries import TermCounts

COUNTS = TermCounts(running=1_148_438, due_soon=12_345, overdue=2_001, paused=7, met=503_163, missed=1_000)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "1\xa0148\xa0438"), ("ru", "1\xa0148\xa0438"), ("en", "1,148,438")],
)
def test_the_count_tiles_group_thousands_by_the_pages_language(language: str, expected: str) -> None:
    with translation.override(language):
        tiles = render_to_string("deadlines/_counts_tiles.html", {"counts": COUNTS, "extra": ""})
        cells = render_to_string("deadlines/_counts_cells.html", {"c": COUNTS})
    assert f"<strong>{expected}</strong>" in tiles
    assert "1148438" not in tiles + cells
    assert f'<td class="num">{expected}</td>' in cells
    assert ">7<" in cells  # small counts as they are
