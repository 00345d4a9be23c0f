from collections.abc import Iterator
from typing import Any

import pytest

from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority


@pytest.fixture(scope="session")
def ca() -> DemoCA:
    """The demo CA of the test settings' PKI directory (trusted by identity.eds and the TSA client)."""
    return DemoCA.load_or_create()


@pytest.fixture(scope="session")
def tsa_url(ca: DemoCA) -> Iterator[str]:
    with LocalTimestampAuthority(ca).running() as url:
        yield url


@pytest.fixture
def tsa(settings: Any, tsa_url: str) -> str:
    settings.TORELIK_TSA_URL = tsa_url
    return tsa_url
