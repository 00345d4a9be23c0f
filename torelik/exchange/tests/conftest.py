from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from torelik.exchange.tests.simulator import Simulator, running
from torelik.identity.pki import DemoCA
from torelik.workers.tests.processes import free_port


@pytest.fixture(scope="session")
def trust_root() -> Path:
    DemoCA.load_or_create()
    return Path(django_settings.TORELIK_PKI_DIR) / "root.pem"


@pytest.fixture
def partners_port(settings: Any) -> int:
    """A port for the simulator; every partner connected to it (nothing need listen there yet)."""
    port = free_port()
    settings.TORELIK_EXCHANGE_URL = f"http://127.0.0.1:{port}"
    settings.TORELIK_EXCHANGE_PARTNERS = {
        code: {"timeout": 2.0, "secret": f"insecure-development-{code}-secret"}
        for code in ("enforcement", "corrections", "legal_statistics", "egov")
    }
    return port


@pytest.fixture
def simulator(partners_port: int, trust_root: Path) -> Iterator[Simulator]:
    with running(partners_port, trust_root=trust_root) as started:
        yield started
