"""The Kazakh and Russian catalogs are complete, compiled, and cover every string in the code."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from pytest_django.fixtures import Settings

from conftest import skip_or_fail

LOCALE_DIR = Path(settings.BASE_DIR) / "torelik" / "locale"
TRANSLATED = ["kk", "ru"]
# The same exclusions as `make messages`.
IGNORED = [".venv/*", "var/*", "*/tests/*", "bench/*", "tools/*"]


def _catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language: str) -> None:
    catalog = _catalog(language)
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language: str) -> None:
    placeholder = re.compile(r"%\(\w+\)s")
    for entry in _catalog(language):
        expected = set(placeholder.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert set(placeholder.findall(text)) == expected, entry.msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalog_matches_the_source(language: str) -> None:
    compiled = polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))
    source = {(e.msgctxt, e.msgid): e.msgstr or dict(e.msgstr_plural) for e in _catalog(language).translated_entries()}
    built = {(e.msgctxt, e.msgid): e.msgstr or {int(k): v for k, v in e.msgstr_plural.items()} for e in compiled}
    built.pop((None, ""), None)
    assert built == {k: ({int(i): t for i, t in v.items()} if isinstance(v, dict) else v) for k, v in source.items()}


def test_catalogs_cover_every_translatable_string_in_the_code(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext (xgettext) is not installed: apt-get install gettext")
    # makemessages writes next to any `locale` folder it walks past, so extract from a copy of the
    # sources without one, never from the working tree.
    sources = tmp_path / "src"
    skip = shutil.ignore_patterns("locale", "tests", "__pycache__", "migrations")
    for package in ("config", "torelik"):
        shutil.copytree(Path(settings.BASE_DIR) / package, sources / package, ignore=skip)
    monkeypatch.chdir(sources)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ru"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    extracted_catalog = polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    extracted = {(e.msgctxt, e.msgid) for e in extracted_catalog}
    committed = {(e.msgctxt, e.msgid) for e in _catalog("ru")}
    assert (None, "Courts of the Republic of Kazakhstan") in extracted  # the extraction itself worked
    assert sorted(m for _, m in extracted - committed) == [], "run `make messages` and translate the new strings"
