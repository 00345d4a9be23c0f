"""Each test starts with the rules as the database holds them (the process keeps a cache)."""

from collections.abc import Iterator

import pytest

from torelik.deadlines.rule_book import forget_rules


@pytest.fixture(autouse=True)
def _fresh_rules() -> Iterator[None]:
    forget_rules()
    yield
    forget_rules()
