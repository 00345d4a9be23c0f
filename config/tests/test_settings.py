"""Production settings refuse to start with a default secret or with debug pages on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

GOOD_KEY = "".join(chr(0x41 + (i * 7) % 26) + str(i % 10) for i in range(40))  # long, varied, not random
# A signed-note key made for this test only (`torelik log generate-key --origin court.example/log`).
LOG_KEY = "PRIVATE+KEY+court.example/log+3c9104b3+ATR186hoONbMizYoJvMUwHOkFOjOcSKve42A5VKplLnI"
# The post's manifest key (base64 of 32 bytes) and webhook secret, made for this test only.
POST = {
    "TORELIK_POST_MANIFEST_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    "TORELIK_POST_WEBHOOK_SECRET": GOOD_KEY,
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TORELIK_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "torelik", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "refusal"),
    [
        ({}, "TORELIK_SECRET_KEY"),
        ({"TORELIK_SECRET_KEY": "short"}, "TORELIK_SECRET_KEY"),
        ({"TORELIK_SECRET_KEY": GOOD_KEY, "TORELIK_DEBUG": "true"}, "TORELIK_DEBUG"),
        ({"TORELIK_SECRET_KEY": GOOD_KEY}, "TORELIK_BEACON_SECRET"),
        ({"TORELIK_SECRET_KEY": GOOD_KEY, "TORELIK_BEACON": "drand"}, "TORELIK_LOG_SIGNING_KEY"),
        (
            {"TORELIK_SECRET_KEY": GOOD_KEY, "TORELIK_BEACON": "drand", "TORELIK_LOG_SIGNING_KEY": LOG_KEY},
            "TORELIK_POST_MANIFEST_KEY",
        ),
        (
            {
                "TORELIK_SECRET_KEY": GOOD_KEY,
                "TORELIK_BEACON": "drand",
                "TORELIK_PAYMENT_SANDBOX_SECRET": GOOD_KEY,
                "TORELIK_LOG_SIGNING_KEY": LOG_KEY,
                **POST,
            },
            "torelik.filing.W001",
        ),
        (
            {
                "TORELIK_SECRET_KEY": GOOD_KEY,
                "TORELIK_BEACON": "drand",
                "TORELIK_EDS_TRUST_DEMO_CA": "true",
                "TORELIK_LOG_SIGNING_KEY": LOG_KEY,
                **POST,
            },
            "torelik.identity.E001",
        ),
    ],
)
def test_production_refuses_unsafe_configuration(env: dict[str, str], refusal: str) -> None:
    result = _check(env)
    assert result.returncode != 0
    assert refusal in result.stderr


def test_production_with_a_real_secret_passes_the_deployment_checks() -> None:
    result = _check(
        {"TORELIK_SECRET_KEY": GOOD_KEY, "TORELIK_BEACON": "drand", "TORELIK_LOG_SIGNING_KEY": LOG_KEY, **POST}
    )
    assert result.returncode == 0, result.stderr
    result = _check(
        {"TORELIK_SECRET_KEY": GOOD_KEY, "TORELIK_BEACON_SECRET": GOOD_KEY, "TORELIK_LOG_SIGNING_KEY": LOG_KEY, **POST}
    )
    assert result.returncode == 0, result.stderr
