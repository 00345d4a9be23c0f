"""The documented deployment: deploy/torelik.env names every setting Torelik reads, refuses to start while a
'change-me' is left, and `torelik check --deploy` passes on it once the secrets are chosen."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from torelik.archive.notes import Signer

ENV_FILE = Path(settings.BASE_DIR) / "deploy" / "torelik.env"


def read_env(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _eq, value = line.partition("=")
            values[name] = value
    return values


def chosen(values: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The file's values with each change-me replaced as an administrator would."""
    choices = {
        "TORELIK_LOG_SIGNING_KEY": Signer.generate("torelik.court.example.kz/log").private_text(),
        "TORELIK_POST_MANIFEST_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    out = {
        name: choices.get(name, secrets.token_urlsafe(50)) if "change-me" in value else value
        for name, value in values.items()
    }
    out.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'torelik.sqlite3'}",
        TORELIK_VAR_DIR=str(tmp_path),
        TORELIK_FILES_DIR=str(tmp_path / "files"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
    )
    return out


def torelik(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TORELIK_", "DJANGO_", "DATABASE_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "torelik", *args],
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_env_file_names_every_setting_torelik_reads() -> None:
    text = ENV_FILE.read_text()
    read = set()
    for module in (Path(settings.BASE_DIR) / "config" / "settings").glob("*.py"):
        if module.name != "test.py":
            read |= set(re.findall(r'env_(?:str|bool|int|float|list)\(\s*"([A-Z0-9_]+)"', module.read_text()))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))
    assert read - documented == set()


def test_check_deploy_passes_on_the_documented_env_file(tmp_path: Path) -> None:
    env = chosen(read_env(ENV_FILE), tmp_path)
    done = torelik(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_refuses_to_start_with_a_change_me_left(tmp_path: Path) -> None:
    env = chosen(read_env(ENV_FILE), tmp_path)
    env["TORELIK_DLR_TOKEN"] = "change-me-random"
    done = torelik(env, "check", "--deploy")
    assert done.returncode != 0
    assert "TORELIK_DLR_TOKEN" in done.stderr
