"""Text into plain comparable words: lowercase ASCII, no emojis, no stretched letters."""

from __future__ import annotations

import re
import unicodedata

from conversations.understanding.lexicon import KNOWN, SHORTHANDS

MAX_CHARS = 500  # longer messages are read up to here: nobody books in the 501st character
_NOT_WORDY = re.compile(r"[^a-z0-9:./\- ]+")
_LONE_SEPARATOR = re.compile(r"(?<!\d)[:./-]|[:./-](?!\d)")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_SPACES = re.compile(r"\s+")
_TRIPLED = re.compile(r"([a-z])\1{2,}")
_DOUBLED = re.compile(r"([abd-km-qs-z])\1")  # not cc, ll, rr: Spanish spells those double


def normalize(text: str) -> str:
    """Lowercase, strip accents (ñ becomes n), drop emojis and punctuation, collapse spaces.

    Separators between digits survive ("17:30", "15/12", "17.30", "15-12") and digits are split
    from letters ("17hs" becomes "17 hs").
    """
    decomposed = unicodedata.normalize("NFKD", text[: MAX_CHARS * 2].casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _NOT_WORDY.sub(" ", plain)
    plain = _LONE_SEPARATOR.sub(" ", plain)
    plain = _DIGIT_LETTER.sub(" ", plain)
    return _SPACES.sub(" ", plain).strip()


def unstretch(word: str) -> str:
    """'holaaa' → 'hola', 'siii' → 'si', 'dalee' → 'dale' (doubles only when that is a word)."""
    word = _TRIPLED.sub(r"\1", word)
    if word in KNOWN:
        return word
    single = _DOUBLED.sub(r"\1", word)
    return single if single in KNOWN or single in SHORTHANDS else word


def words(text: str, protected: frozenset[str] = frozenset()) -> list[str]:
    """The normalized words of a text, unstretched and with chat shorthand spelled out.

    `protected` words (the shop's own names, such as a barber called "Dom") are left as they are.
    """
    result: list[str] = []
    for word in normalize(text[:MAX_CHARS]).split():
        if word in protected:
            result.append(word)
            continue
        word = unstretch(word) if word.isalpha() else word
        result.extend(SHORTHANDS.get(word, word).split())
    return result
