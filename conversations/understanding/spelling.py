"""Typo repair towards the trade's keywords ("mañna" → "manana", "sabdo" → "sabado").

Keywords that say something on their own ("inicio", "salir", "dale") are only reached by one
slip of a finger ("incio", "slair"): a loose match would turn names into commands ("Nico" is no
misspelt "inicio", "Samir" no "salir"). Everyday first names are never corrected at all.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache

from conversations.understanding.intents import read_intents
from conversations.understanding.lexicon import FIRST_NAMES, KEYWORDS, KNOWN

CUTOFF = 0.8
MIN_LENGTH = 4  # shorter words differ by one letter from too many others to guess safely
MAX_LENGTH = 20
MAX_LENGTH_CHANGE = 2
MIN_COMMAND_TYPO = 5  # "meun" is too short to be sure it meant "menu"
_GUESSES = 3
# A keyword can be CUTOFF alike to a word only if they share a subsequence that misses at most
# DEPTH letters of either (for words up to about 13 letters): an index of every keyword with up
# to DEPTH letters deleted finds those few candidates without comparing the word with them all.
DEPTH = 3


def _by_length(keywords: Iterable[str]) -> dict[int, list[str]]:
    buckets: dict[int, list[str]] = defaultdict(list)
    for keyword in sorted(keywords):
        buckets[len(keyword)].append(keyword)
    return buckets


_BUCKETS = _by_length(KEYWORDS)
COMMANDS: frozenset[str] = frozenset(
    k for k in KEYWORDS if read_intents([k], k, said_what=False, said_when=False)
)


@lru_cache(maxsize=16384)
def similarity(word: str, candidate: str) -> float:
    """How alike two words are, from 0 to 1 (difflib's ratio; a typo in six letters is 0.83);
    below CUTOFF, only a bound of it (all that anyone asks then is that it falls short)."""
    # Cached, and the cheap bounds first: a long message compares each of its words with every
    # word of the shop's names.
    matcher = difflib.SequenceMatcher(None, word, candidate)
    bound = matcher.real_quick_ratio()
    if bound < CUTOFF:
        return bound
    bound = matcher.quick_ratio()
    return bound if bound < CUTOFF else matcher.ratio()


def one_slip(word: str, keyword: str) -> bool:
    """Whether one letter added, dropped, changed or swapped with the next turns one into the other.

    The first letter must stay: a slip of the finger rarely starts the word somewhere else.
    """
    if word == keyword or abs(len(word) - len(keyword)) > 1 or word[:1] != keyword[:1]:
        return False
    start = 0
    while start < min(len(word), len(keyword)) and word[start] == keyword[start]:
        start += 1
    a, b = word[start:], keyword[start:]
    return a[1:] == b[1:] or a[1:] == b or a == b[1:] or (a[:2] == b[1::-1] and a[2:] == b[2:])


def _deletions(word: str, depth: int) -> set[str]:
    """The word with up to `depth` of its letters deleted, in every way."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


@lru_cache(maxsize=1)
def _near_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for keyword in KEYWORDS:
        for variant in _deletions(keyword, DEPTH):
            index[variant].add(keyword)
    return {variant: frozenset(keywords) for variant, keywords in index.items()}


@cache
def _indexed(length: int) -> bool:
    """Whether the index finds every keyword CUTOFF alike to a word of this length."""
    for other in range(length - MAX_LENGTH_CHANGE, length + MAX_LENGTH_CHANGE + 1):
        shared = -(-2 * (length + other) // 5)  # ratio 2·shared/(length+other) ≥ CUTOFF (0.8)
        if length - shared > DEPTH or other - shared > DEPTH:
            return False
    return True


def _allowed(word: str, keyword: str) -> bool:
    if keyword not in COMMANDS:
        return True
    return len(word) >= MIN_COMMAND_TYPO and one_slip(word, keyword)


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The keyword a misspelled word stands for, or the word itself."""
    if word in KNOWN or word in FIRST_NAMES or not word.isalpha():
        return word
    if not MIN_LENGTH <= len(word) <= MAX_LENGTH:
        return word
    # A typo adds, drops or swaps a letter or two: "nombre" is no misspelt "noviembre".
    low, high = len(word) - MAX_LENGTH_CHANGE, len(word) + MAX_LENGTH_CHANGE
    candidates = [k for size in range(low, high + 1) for k in _BUCKETS.get(size, ())]
    if _indexed(len(word)):
        index = _near_index()
        near = set().union(*(index.get(variant, ()) for variant in _deletions(word, DEPTH)))
        candidates = [k for k in candidates if k in near]
    found = difflib.get_close_matches(word, candidates, n=_GUESSES, cutoff=CUTOFF)
    return next((k for k in found if _allowed(word, k)), word)


def corrected(words: list[str], protected: frozenset[str]) -> list[str]:
    """Every word corrected, except the shop's own names (a barber may be called like a word)."""
    return [word if word in protected else correct(word) for word in words]
