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
    ("it", "s", "for"),  # "it's for Emma", the answer to "whose name shall I book it under?"
    ("it s", "for"),
    ("its", "for"),
    ("soy",),
    ("me", "llamo"),
    ("mi", "nombre", "es"),
    ("nombre", "de"),  # "a nombre de Diego", the answer to "¿a nombre de quién?"
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
# Words around a name that do not make it less of one: "Hola! Diego", "Seba acá", "Diego de
# nuevo", "buenas tardes, soy Mauro" (read as typed, never spelling-corrected).
_AROUND = sorted(  # longest first: "por acá" before "acá"
    (
        tuple(words.split("_"))
        for words in words_of(
            "hola holis holas ola buenas buenos buen_dia buenos_dias buenas_tardes buenas_noches "
            "tardes noches hey ey hi hello che saludos gracias que_tal como_va como_andas "
            "aca aqui por_aca de_nuevo"
        )
    ),
    key=lambda around: (-len(around), around),
)
# Answers that fill a name's place but are none: "ninguno", "el que sea", "cualquiera".
_NO_ONE = words_of(
    "ninguno ninguna ningun cualquiera cualquier cualca sea nose nadie nombre "
    "sorry thanks thank thx okay ok please yes yeah yep nope"  # English a Spanish chat borrows
)
# Keyboard mash: "asdfgh", "qwerty", "jkjkjk", "sdfsdf", letters with no vowel at all.
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_REPEATED = re.compile(r"^(.{1,3})\1{2,}.?$")
_CONSONANTS = re.compile(r"[^aeiouy]{4,}")
_VOWEL = re.compile(r"[aeiouy]")
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
    if plain in KNOWN or plain in _NO_ONE or len(plain) < 2 or _LAUGH.match(plain):
        return True
    return mashed(plain)


def mashed(word: str) -> bool:
    """Letters typed at random, not a word nor a name: "asdfgh", "jkjkjk", "qwerty", "zxcv"."""
    if not _VOWEL.search(word) or _REPEATED.match(word) or _CONSONANTS.search(word):
        return True
    return any(word[i : i + 4] in row for row in _KEY_ROWS for i in range(len(word) - 3))


def _trimmed(typed: list[str]) -> tuple[int, int]:
    """Where the words between greetings and "acá" start and end ("Hola! Diego acá")."""
    first, last = 0, len(typed)
    moved = True
    while moved:
        moved = False
        for around in _AROUND:
            n = len(around)
            if last - first > n and tuple(typed[first : first + n]) == around:
                first, moved = first + n, True
            elif last - first > n and tuple(typed[last - n : last]) == around:
                last, moved = last - n, True
    return first, last


def person_name(raw: str) -> str | None:
    """The name a person gives, in their own spelling (capitalized if typed all low or all up)."""
    return _read_name(raw)[0]


def introduced_name(raw: str, *, greeted: bool = True) -> str | None:
    """A name given in passing: "soy Diego", and with `greeted` also "Hola! Diego", "Seba acá"
    (a bare word is not: at most steps it answers the question asked)."""
    name, how = _read_name(raw)
    return name if how == _INTRODUCED or (greeted and how == _GREETED) else None


def first_name(raw: str) -> str | None:
    """A message that is only a common first name ("Gonza", "Pato"): surely a name."""
    name, how = _read_name(raw)
    known = name is not None and all(_plain(w) in FIRST_NAMES for w in name.split())
    return name if how == _BARE and known else None


_BARE, _GREETED, _INTRODUCED = "bare", "greeted", "introduced"


def _read_name(raw: str) -> tuple[str | None, str]:
    """The name in a message, and how: bare, among greetings, or introduced ("soy")."""
    raw_words = _RAW_WORD.findall(raw)
    plain = [_plain(w) for w in raw_words]
    typed = [unstretch(normalize(w)) for w in raw_words]
    for intro in _INTRODUCTIONS:
        for i in range(len(plain) - len(intro) + 1):
            if intro in (tuple(typed[i : i + len(intro)]), tuple(plain[i : i + len(intro)])):
                start = i + len(intro)
                as_typed = plain.copy()
                if start < len(raw_words):  # "soy Dante" is no misspelt "soy antes"
                    as_typed[start] = typed[start]
                name = _name_at(raw_words, as_typed, start)
                if name:
                    return name, _INTRODUCED
    if _NOT_A_NAME.search(raw):
        return None, _BARE
    first, last = _trimmed(typed)
    if last - first > MAX_NAME_WORDS:
        return None, _BARE
    name = _name_at(raw_words[first:last], plain[first:last], 0)
    taken = len(name.split()) if name else 0
    if taken != last - first:
        return None, _BARE
    return name, _BARE if (first, last) == (0, len(typed)) else _GREETED


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
