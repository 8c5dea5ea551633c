"""Translations from locales/: compiled from the .po files when missing or stale, then cached."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from domain.shops import LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
DEFAULT_LOCALE = "es_AR"


def compile_catalogs(directory: Path = LOCALES_DIR) -> list[Path]:
    """Compile every .po whose .mo is missing or older; returns the files written."""
    written = []
    for po_path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    return written


@lru_cache(maxsize=8)
def translations(locale: str = DEFAULT_LOCALE) -> NullTranslations:
    """The catalog for a locale (es_AR when unknown), compiling it on first use."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    compile_catalogs()
    return Translations.load(str(LOCALES_DIR), [locale], DOMAIN)
