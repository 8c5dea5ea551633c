"""Text into plain comparable words: lowercase ASCII, no emojis, no stretched letters."""

from __future__ import annotations

import re
import unicodedata

from conversations.understanding.english import read_english
from conversations.understanding.lexicon import KNOWN, SHORTHANDS

# A longer message is read from its last part: after a story comes the request ("bueno, tenés
# algo para el viernes?"), and a bound keeps every reading a few milliseconds long.
MAX_CHARS = 1000
# Emojis that say a word: the scissors and the barber pole are a haircut, a thumb up is a yes.
_EMOJI_WORDS = str.maketrans(
    {"✂": " corte ", "💈": " corte ", "🧔": " barba ", "👍": " si ", "👌": " si ", "✅": " si "}
    | {"👎": " no "}
)
_NOT_WORDY = re.compile(r"[^a-z0-9:./\- ]+")
_LONE_SEPARATOR = re.compile(r"(?<!\d)[:./-]|[:./-](?!\d)")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
_SPACES = re.compile(r"\s+")
_TRIPLED = re.compile(r"([a-z])\1{2,}")
_DOUBLED = re.compile(r"([abd-km-qs-z])\1")  # not cc, ll, rr: Spanish spells those double


def readable(text: str) -> str:
    """The part of a message that is read: all of it, or its last MAX_CHARS from a word start."""
    if len(text) <= MAX_CHARS:
        return text
    tail = text[-MAX_CHARS:]
    space = tail.find(" ")
    return tail[space + 1 :] if 0 <= space < MAX_CHARS // 10 else tail


def normalize(text: str) -> str:
    """Lowercase, strip accents (ñ becomes n), drop emojis and punctuation, collapse spaces.

    Separators between digits survive ("17:30", "15/12", "17.30", "15-12") and digits are split
    from letters ("17hs" becomes "17 hs").
    """
    decomposed = unicodedata.normalize("NFKD", readable(text).casefold())
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
    """The normalized words of a text, unstretched, with chat shorthand spelled out, emojis
    that say a word as that word and English read as Spanish ("tomorrow" → "manana").

    `protected` words (the shop's own names, such as a barber called "Dom") are left as they are.
    """
    result: list[str] = []
    for word in normalize(readable(text).translate(_EMOJI_WORDS)).split():
        if word in protected:
            result.append(word)
            continue
        word = unstretch(word) if word.isalpha() else word
        result.extend(SHORTHANDS.get(word, word).split())
    return read_english(result, protected)
