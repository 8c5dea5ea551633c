"""The shop's services and professionals as the customer names them."""

from __future__ import annotations

import re
from functools import lru_cache

from conversations.understanding.lexicon import (
    BEARD,
    COMBO_WORDS,
    CONCEPT_WORDS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    HAIR,
    HAIR_NOUNS,
    HAIR_VERBS,
    KNOWN,
    QUALIFIERS,
)
from conversations.understanding.model import CatalogEntry
from conversations.understanding.normalize import normalize
from conversations.understanding.scratch import Scratch
from conversations.understanding.spelling import CUTOFF, similarity

MIN_FUZZY = 4  # shorter names ("Lu") must be written exactly
SHORT_NAME_CUTOFF = 0.85
_ANY_PROFESSIONAL = re.compile(
    r"\bcualquiera\b(?! de (?:los|las) (?:dias|horarios))"
    r"|\bcualquier (?:barbero|barbera|profesional|peluquero|peluquera|uno|una|persona|pibe)\b"
    r"|\b(?:el|la|los|las) que (?:esten?|sea|haya|tenga|tengas|pueda|quede|venga)\b"
    r"|\b(?:me |nos )?da (?:igual|lo mismo)\b(?! (?:el dia|la hora|el horario|cuando|que dia))"
    r"|\bquien sea\b|\bindistinto\b|\bsin preferencia\b|\bno tengo preferencia\b"
    r"|\bno importa (?:quien|con quien|el barbero|el profesional)\b"
)
# Words that name the shop rather than one of its services ("la barbería abre el domingo?").
SHOP_WORDS = frozenset({"barberia", "peluqueria", "salon", "barber", "shop", "estetica"})
_TIES = frozenset({"con", "el", "la"})
_ARTICLES = frozenset({"la", "de", "mi", "el"})
Key = tuple[float, ...]


@lru_cache(maxsize=512)
def entry_words(entry: CatalogEntry) -> frozenset[str]:
    """The words that name a catalog entry: its name's and its aliases' (normalized)."""
    spelled = " ".join((entry.name, *entry.aliases))
    return frozenset(w for w in normalize(spelled).split() if w not in FUNCTION_WORDS)


def concepts(words: list[str]) -> frozenset[str]:
    """The service concepts named in some words ("corte y barba" → hair and beard)."""
    found: set[str] = set()
    for i, word in enumerate(words):
        if word in COMBO_WORDS:
            found |= {HAIR, BEARD}
        for concept, keys in CONCEPT_WORDS.items():
            if word in keys and not (concept == HAIR and _beard_follows(words, i)):
                found.add(concept)
    return frozenset(found)


def _beard_follows(words: list[str], i: int) -> bool:
    """Whether a haircut word is about the beard ("cortarme la barba", "corte de barba")."""
    beard = CONCEPT_WORDS[BEARD]
    after = words[i + 1 : i + 4]
    if words[i] in HAIR_VERBS:
        return bool(after) and (
            after[0] in beard or (after[0] in _ARTICLES and after[1:2] != [] and after[1] in beard)
        )
    if words[i] in HAIR_NOUNS:
        return after[:1] == ["de"] and bool(set(after[1:3]) & beard)
    return False


def said(word: str, words: list[str], *, fuzzy: bool = True) -> int:
    """2 when the word was written, 1 when something close to it was, else 0."""
    if word in words:
        at = words.index(word)
        plain = word not in KNOWN or (at > 0 and words[at - 1] in _TIES)
        return 2 if plain else 0
    if not fuzzy or len(word) < MIN_FUZZY:
        return 0
    # A first name is nobody's typo: "Colo" is not "Color", "Marian" not "Martín".
    close = (w for w in words if len(w) >= MIN_FUZZY and w not in KNOWN and w not in FIRST_NAMES)
    # One wrong letter in five is another name ("Lucas" is not "Lucía"): short names need more.
    cutoff = SHORT_NAME_CUTOFF if len(word) <= 5 else CUTOFF
    return 1 if any(similarity(w, word) >= cutoff for w in close) else 0


def match_service(words: list[str], services: tuple[CatalogEntry, ...]) -> int | None:
    """The service a message names: by a synonym the shop gave it ("rapado"), by concept
    ("pelo" → "Corte") or by the words of its name.

    A synonym said wins (the longest one said, when several are), whatever the concepts: the
    shop told us what its customers mean by it.
    """
    wanted = concepts(words)
    scored: list[tuple[Key, int]] = []
    for service in services:
        named = _words_of(service.name)
        own = sorted(named - QUALIFIERS) or sorted(named)
        offered = concepts(own)
        hits = sum(1 for w in own if w not in SHOP_WORDS and said(w, words))
        synonym = max((_said_phrase(alias, words) for alias in service.aliases), default=0)
        if not (offered & wanted) and not hits and not synonym:
            continue
        exact = bool(wanted) and offered == wanted
        share = hits / len(own) if own else 0.0
        key = (synonym, exact, share, len(offered & wanted), -len(offered - wanted), -len(own))
        scored.append((key, service.id))
    return _unique_best(scored)


@lru_cache(maxsize=1024)
def _words_of(text: str) -> frozenset[str]:
    """The words of a name or phrase that can name something (normalized)."""
    return frozenset(w for w in normalize(text).split() if w not in FUNCTION_WORDS)


def _said_phrase(phrase: str, words: list[str]) -> int:
    """How many words the phrase has when every one of them was said (typos forgiven), else 0.

    Unlike a name's words, a synonym counts even when it is an everyday word ("máquina").
    """
    wanted = _words_of(phrase)
    if not wanted or not all(w in words or said(w, words) for w in wanted):
        return 0
    return len(wanted)


def match_professional(words: list[str], people: tuple[CatalogEntry, ...]) -> int | None:
    """The professional named by name, surname or nickname, typos forgiven."""
    scored: list[tuple[Key, int]] = [
        ((sum(said(w, words) for w in entry_words(p)),), p.id) for p in people
    ]
    return _unique_best([(key, pid) for key, pid in scored if key[0] > 0])


def named_last(words: list[str], people: tuple[CatalogEntry, ...]) -> int | None:
    """Of two or more professionals written out, the one named last: a move that names the
    turno's barber and then the new one ("no puedo con Facu, pasámelo con Tincho")."""
    last_at: dict[int, int] = {}
    for at, word in enumerate(words):
        for person in people:
            if word in entry_words(person):
                last_at[person.id] = at
    if len(last_at) < 2:
        return None
    return max(last_at, key=lambda pid: last_at[pid])


def any_professional(scratch: Scratch) -> bool:
    """Whether the person takes whoever is free ("cualquiera", "me da igual")."""
    return bool(scratch.take(_ANY_PROFESSIONAL))


def _unique_best(scored: list[tuple[Key, int]]) -> int | None:
    """The id with the best key, or None when two share it (the chat will ask)."""
    ranked = sorted(scored, key=lambda pair: pair[0], reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]
