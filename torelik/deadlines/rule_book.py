"""The rule book: the term rules as each process keeps them (for RULES_TTL seconds, and checked against
the table's version before a term is written from them), and which rules a moment of a case opens."""

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from torelik.deadlines.models import TermRule
from torelik.deadlines.queries import CaseFacts
from torelik.deadlines.working_calendar import forget_calendar


def specificity(rule: TermRule, facts: CaseFacts) -> int | None:
    """How closely `rule` fits the case (longest matching category prefix), None when it does not."""
    return fit(rule, proceeding_type=facts.proceeding_type, instance=facts.instance, category_code=facts.category_code)


def fit(rule: TermRule, *, proceeding_type: str, instance: str, category_code: str) -> int | None:
    """`specificity` for a case described by its proceeding type, instance and category alone (the national
    generator's cases have no row to read facts from yet)."""
    if rule.proceeding_types and proceeding_type not in rule.proceeding_types:
        return None
    if rule.instances and instance not in rule.instances:
        return None
    if not rule.category_prefixes:
        return 0
    matching = [len(p) for p in rule.category_prefixes if category_code.startswith(p)]
    return max(matching) if matching else None


# The rules change rarely (a data file, the admin): each process keeps them for RULES_TTL seconds, so
# that the many events of a busy court cost no query when they open or close nothing. Loading rules
# here forgets them at once; other processes see the change within RULES_TTL.
RULES_TTL = 60.0


@dataclass(frozen=True)
class RuleBook:
    loaded_at: float
    by_start: dict[str, list[TermRule]]
    by_id: dict[int, TermRule]
    closing: frozenset[str]


_book: RuleBook | None = None


def rule_book() -> RuleBook:
    global _book  # noqa: PLW0603 - the process-wide cache of a small table
    if _book is None or time.monotonic() - _book.loaded_at > RULES_TTL:
        rules = list(TermRule.objects.order_by("code"))
        by_start: dict[str, list[TermRule]] = defaultdict(list)
        for rule in rules:
            if rule.enabled:
                by_start[rule.starts_on].append(rule)
        closing = frozenset(t for rule in rules for t in [*rule.ends_on, *rule.lapses_on])
        _book = RuleBook(
            loaded_at=time.monotonic(),
            by_start=dict(by_start),
            by_id={rule.pk: rule for rule in rules},
            closing=closing,
        )
    return _book


# The version of the rules table (count, last key, last change) that the kept book was checked against.
_book_version: tuple[Any, ...] | None = None


def forget_rules() -> None:
    """Drop the process-wide copies of the rules and the calendar (after the tables changed under
    us: a flush between tests, a reload of the data)."""
    global _book, _book_version  # noqa: PLW0603
    _book = None
    _book_version = None
    forget_calendar()


def check_book(version: tuple[Any, ...]) -> None:
    """Forget the kept rules unless they were loaded since the rules table was last at `version`
    (read with the case's facts): before a term is written from a kept rule, the copy must be no
    older than the table (reloaded elsewhere, or a test's flush). No query when nothing changed."""
    global _book, _book_version  # noqa: PLW0603
    if version != _book_version:
        _book, _book_version = None, version


def rules_opened_by(trigger: str, facts: CaseFacts, day: dt.date) -> list[TermRule]:
    best: dict[str, tuple[int, TermRule]] = {}
    for rule in rule_book().by_start.get(trigger, []):
        if rule.effective_from > day or (rule.effective_until is not None and rule.effective_until < day):
            continue
        fit = specificity(rule, facts)
        if fit is not None and (rule.slot not in best or fit > best[rule.slot][0]):
            best[rule.slot] = (fit, rule)
    return [rule for _fit, rule in best.values()]
