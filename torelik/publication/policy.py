"""What the law lets the public read (`data/policy.json`): when an act of each proceeding is published
(once announced, or once in force), and what is never published — the categories the law closes, each
with its legal basis, and any case with a hearing held in camera."""

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from torelik.acts.kinds import kind_of
from torelik.acts.models import Act, ActStatus
from torelik.cases.models import Case
from torelik.hearings.models import Hearing

POLICY = Path(__file__).parent / "data" / "policy.json"
DUE_STATUSES = {
    "announced": frozenset({ActStatus.ANNOUNCED, ActStatus.APPEALED, ActStatus.IN_FORCE}),
    "in_force": frozenset({ActStatus.IN_FORCE}),
}


@dataclass(frozen=True)
class ClosedCategory:
    prefix: str
    basis: dict[str, str]


@functools.cache
def _policy() -> dict[str, object]:
    data: dict[str, object] = json.loads(POLICY.read_text(encoding="utf-8"))
    return data


def closed_categories() -> list[ClosedCategory]:
    raw = cast(list[dict[str, str]], _policy()["closed_categories"])
    return [
        ClosedCategory(str(c["prefix"]), {lang: str(c[f"basis_{lang}"]) for lang in ("kk", "ru", "en")}) for c in raw
    ]


def closed_prefixes() -> tuple[str, ...]:
    return tuple(c.prefix for c in closed_categories())


def due_statuses(proceeding_type: str) -> frozenset[str]:
    rule = cast(dict[str, Any], _policy()["publish_when"])
    when = rule.get("by_proceeding", {}).get(proceeding_type, rule["default"])
    return DUE_STATUSES[str(when)]


def is_due(act: Act) -> bool:
    """An act that ends a case or an instance, at the stage its proceeding publishes it."""
    kind = kind_of(act.kind)
    return kind is not None and kind.ends_case and act.status in due_statuses(act.case.proceeding_type)


def closed_basis(case: Case, language: str) -> str:
    """Why the law closes this case's acts, in `language`; empty when they are public."""
    code = case.category.code
    for closed in closed_categories():
        if code.startswith(closed.prefix):
            return closed.basis.get(language, closed.basis["ru"])
    if Hearing.objects.filter(case=case, is_closed=True).exists():
        basis = cast(dict[str, str], _policy()["closed_hearing_basis"])
        return str(basis.get(f"basis_{language}", basis["basis_ru"]))
    return ""
