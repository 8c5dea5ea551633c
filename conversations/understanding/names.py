"""A person's own name ("Juan", "soy Juan Pérez", "me llamo Ana") and a bare choice number."""

from __future__ import annotations

import re

from conversations.understanding.lexicon import (
    FIRST_NAMES,
    KNOWN,
    NUMBER_WORDS,
    ORDINAL_SUFFIXES,
    ORDINALS,
    SHORTHANDS,
    words_of,
)
from conversations.understanding.normalize import normalize, unstretch
from conversations.understanding.spelling import correct

MAX_NAME_WORDS = 4
_RAW_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_INTRODUCTIONS = (
    ("soy",),
    ("me", "llamo"),
    ("mi", "nombre", "es"),
    ("te", "habla"),
    ("habla",),
    ("i", "m"),
    ("i m",),  # "I'm" is one word as typed
    ("im",),
    ("i", "am"),
    ("my", "name", "is"),
    ("name", "s"),
    ("name s",),
    ("call", "me"),
    ("this", "is"),
    ("it", "s"),
    ("it s",),
)
_NOT_A_NAME = re.compile(r"[\d?;:<>=()\[\]{}/\\@#$%&*_|~^`\"]|--")
_PARTICLES = frozenset({"de", "del", "la", "los", "las", "y"})
_LAUGH = re.compile(r"^(?:[jh][aeiou]){2,}j?$|^(?:xd+|lol|ja|je)$")
_NUMBER_FILLERS = words_of(
    "el la lo opcion numero nro num n quiero dame me quedo con elijo prefiero voy porfa por "
    "favor esa ese de dale ok si bueno va turno horario gracias"
)


def _plain(word: str) -> str:
    plain = unstretch(normalize(word))
    return correct(SHORTHANDS.get(plain, plain))


def _known(plain: str) -> bool:
    if plain in FIRST_NAMES:  # "Vale", "Caro", "Abril" are names before they are words
        return False
    return plain in KNOWN or len(plain) < 2 or _LAUGH.match(plain) is not None


def person_name(raw: str) -> str | None:
    """The name a person gives, in their own spelling (capitalized if typed all low or all up)."""
    raw_words = _RAW_WORD.findall(raw)
    plain = [_plain(w) for w in raw_words]
    for intro in _INTRODUCTIONS:
        for i in range(len(plain) - len(intro) + 1):
            if tuple(plain[i : i + len(intro)]) == intro:
                start = i + len(intro)
                as_typed = plain.copy()
                if start < len(raw_words):  # "soy Dante" is no misspelt "soy antes"
                    as_typed[start] = unstretch(normalize(raw_words[start]))
                name = _name_at(raw_words, as_typed, start)
                if name:
                    return name
    if _NOT_A_NAME.search(raw) or len(raw_words) > MAX_NAME_WORDS:
        return None
    name = _name_at(raw_words, plain, 0)
    taken = len(name.split()) if name else 0
    return name if taken == len(raw_words) else None


def _name_at(raw_words: list[str], plain: list[str], start: int) -> str | None:
    """The longest run of name-like words from `start` ("de", "la" only inside a name)."""
    taken: list[int] = []
    for i in range(start, min(len(plain), start + MAX_NAME_WORDS)):
        if plain[i] in _PARTICLES and taken:
            continue
        if _known(plain[i]):
            break
        taken.append(i)
    if not taken:
        return None
    span = range(taken[0], taken[-1] + 1)
    return " ".join(_capitalized(raw_words[i], particle=i not in taken) for i in span)


def _capitalized(word: str, particle: bool) -> str:
    if particle:
        return word.lower()
    if word.islower() or word.isupper():
        return word[:1].upper() + word[1:].lower()
    return word


def choice_number(words: list[str]) -> int | None:
    """A bare choice: "2", "dos", "la segunda", "el 3ro", "opción 4"."""
    left = [w for w in words if w not in _NUMBER_FILLERS]
    if len(left) == 2 and left[0].isdigit() and left[1] in ORDINAL_SUFFIXES | {"o", "a"}:
        left = left[:1]
    if len(left) != 1:
        return None
    word = left[0]
    if word.isdigit() and len(word) <= 2:
        return int(word) or None
    return ORDINALS.get(word) or (NUMBER_WORDS.get(word) if word != "un" else None)
