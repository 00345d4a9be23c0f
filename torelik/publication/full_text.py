"""The full-text search of the public acts (ADR 0064), as a small door that any table with the same two
columns can go through: `search_text` (the lower-cased words, read by SQLite) and, on PostgreSQL only, a
generated `search_tsv` (kept by a migration in `russian` and/or our `kazakh` configuration) with its GIN
index. A query is matched with `websearch_to_tsquery` in both configurations (quoted phrases, words) and
ranked by `ts_rank`; on SQLite each term must occur in `search_text`. The practice library of the portal
searches this way too (ADR 0106)."""

import html
import re
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import BooleanField, F, FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from torelik.core.rows import table

MAX_QUERY = 300
_TERM = re.compile(r'"([^"]+)"|(\S+)')

M = TypeVar("M", bound=models.Model)


def terms_of(query: str) -> list[str]:
    """The quoted phrases and the words of a query, lower-cased."""
    return [(m.group(1) or m.group(2)).strip().lower() for m in _TERM.finditer(query[:MAX_QUERY]) if m.group()]


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def _tsquery() -> str:
    return "(websearch_to_tsquery('russian', %s) || websearch_to_tsquery('kazakh', %s))"


def matching_text(rows: QuerySet[M], query: str) -> QuerySet[M]:
    """`rows` whose text matches `query` (all of them for an empty query)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return rows
    if uses_postgres_search():
        tsv = f"{table(rows.model)}.search_tsv"
        return rows.filter(
            RawSQL(f"{tsv} @@ {_tsquery()}", [query, query], output_field=BooleanField())  # noqa: S611 - names from the model
        )
    for term in terms_of(query):
        rows = rows.filter(search_text__contains=term)
    return rows


def ranked_text(rows: QuerySet[M], query: str, *, fallback: str) -> QuerySet[M]:
    """The rows with their `rank` (ts_rank on PostgreSQL; 0 on SQLite, where `fallback`'s order decides)."""
    query = query.strip()[:MAX_QUERY]
    if uses_postgres_search():
        tsv = f"{table(rows.model)}.search_tsv"
        rank: Any = RawSQL(f"ts_rank({tsv}, {_tsquery()})", [query, query], output_field=FloatField())  # noqa: S611
    else:
        rank = F(fallback) * 0.0
    ranked: QuerySet[M] = rows.annotate(rank=rank)
    return ranked


def highlight(text: str, terms: list[str], *, width: int = 160) -> SafeString:
    """A passage of `text` around the first matched term, the matches marked (escaped HTML). A word
    matches by its first letters, as stemming would."""
    probes = [t if " " in t or len(t) <= 5 else t[: max(4, len(t) - 2)] for t in terms if t]  # noqa: PLR2004
    lowered = text.lower()
    first = min((i for i in (lowered.find(p) for p in probes) if i >= 0), default=0)
    start = max(0, first - width // 2)
    passage = text[start : start + width * 2]
    escaped = html.escape(passage)
    for probe in sorted(set(probes), key=len, reverse=True):
        escaped = re.sub(rf"({re.escape(html.escape(probe))}\w*)", r"<mark>\1</mark>", escaped, flags=re.IGNORECASE)
    prefix = "…" if start else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return mark_safe(prefix + escaped + suffix)  # noqa: S308 - escaped above
