"""Every text a person reads is translated, and the catalogs compile."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.i18n import LOCALES, LOCALES_DIR, compile_catalogs, translations

ROOT = LOCALES_DIR.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def messages_in_code() -> set[str]:
    """Every string the code passes to _() or gettext()."""
    found: set[str] = set()
    for package in ("conversations", "bot", "web"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(locale: str) -> dict[str, str]:
    """msgid → translation; a plural entry counts as translated only with every form filled."""
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po_file:
        entries = [m for m in read_po(po_file) if m.id]
    found: dict[str, str] = {}
    for m in entries:
        if isinstance(m.id, str):
            found[m.id] = m.string
        else:
            forms = list(m.string)
            found[m.id[0]] = forms[0] if forms and all(forms) else ""
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_in_the_code_has_a_translation(locale: str) -> None:
    translated = {k for k, v in catalog(locale).items() if v}

    missing = sorted(messages_in_code() - translated)

    assert missing == [], f"add these to locales/{locale} (see the README's i18n section)"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_compile_and_load_as_real_translations(locale: str, tmp_path: Path) -> None:
    compile_catalogs()

    assert (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.mo").exists()
    assert type(translations(locale)) is Translations


def test_counts_agree_in_spanish() -> None:
    ngettext = translations("es_AR").ngettext

    assert ngettext("{n} place left", "{n} places left", 1).format(n=1) == "queda 1 lugar"
    assert ngettext("{n} place left", "{n} places left", 3).format(n=3) == "quedan 3 lugares"


def test_spanish_speaks_with_voseo() -> None:
    gettext = translations("es_AR").gettext

    assert gettext("What would you like to do?") == "¿Qué querés hacer?"
    assert gettext("Which turno shall I cancel?") == "¿Qué turno cancelo?"
