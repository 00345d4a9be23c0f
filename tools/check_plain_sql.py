"""`make plain-sql` (part of `make test`): plain SQL and Django's private ORM state stay where ADR 0032 puts them.

- `connection.cursor()` (any `.cursor(` call) only in `torelik/core/rows.py` and a context's `queries.py`;
- Django's private ORM state (`_result_cache`, `_prefetch_done`, `_prefetched_objects_cache`,
  `_known_related_objects`, `_state` beyond its documented `adding` and `db`, ...) only in
  `torelik/core/rows.py`.

Application code is checked: `torelik/` and `config/`, leaving out `tests/` (a test may drive the
database by hand to prove what a trigger refuses) and `migrations/`. Prints each breach with its place
and exits 1 when there is one."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("torelik", "config")
SKIPPED_PARTS = frozenset({"tests", "migrations"})
ROWS = Path("torelik/core/rows.py")
# What prefetch_related, select_related and the queryset keep for themselves.
PRIVATE_ORM = frozenset(
    {
        "_result_cache",
        "_prefetch_done",
        "_prefetched_objects_cache",
        "_prefetch_related_lookups",
        "_known_related_objects",
        "_iterable_class",
        "_sticky_filter",
        "_for_write",
        "_hints",
        "fields_cache",
        "related_managers_cache",
    }
)
# `Model._state.adding` and `.db` are documented (the model instance reference); the rest is not.
DOCUMENTED_STATE = frozenset({"adding", "db"})


def may_use_cursor(path: Path) -> bool:
    return path == ROWS or path.name == "queries.py"


def breaches(source: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, what) of each breach in `source`, the module at `path` (relative to the checkout)."""
    tree = ast.parse(source, filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "cursor" and isinstance(parents.get(node), ast.Call) and not may_use_cursor(path):
                yield node.lineno, "plain SQL (`.cursor()`) outside core/rows.py and a context's queries.py"
            if path == ROWS:
                continue
            if node.attr in PRIVATE_ORM:
                yield node.lineno, f"private ORM state `{node.attr}`"
            elif node.attr == "_state":
                parent = parents.get(node)
                if not (isinstance(parent, ast.Attribute) and parent.attr in DOCUMENTED_STATE):
                    yield node.lineno, "private ORM state `_state` (beyond its documented `adding` and `db`)"
        elif isinstance(node, ast.Constant) and node.value in PRIVATE_ORM and path != ROWS:
            yield node.lineno, f"private ORM state `{node.value}` by name"


def checked_modules() -> Iterator[Path]:
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if not SKIPPED_PARTS.intersection(relative.parts):
                yield relative


def main() -> int:
    found = [
        f"{path}:{line}: {what}"
        for path in checked_modules()
        for line, what in breaches((ROOT / path).read_text(encoding="utf-8"), path)
    ]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} breach(es) of ADR 0032 (docs/adr/0032-plain-sql-on-the-hot-paths.md)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
