"""Typo repair towards the trade's keywords ("mañna" → "manana", "sabdo" → "sabado")."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from conversations.understanding.lexicon import KEYWORDS, KNOWN

CUTOFF = 0.8
MIN_LENGTH = 4  # shorter words differ by one letter from too many others to guess safely
MAX_LENGTH = 20
MAX_LENGTH_CHANGE = 2


def _by_length(keywords: Iterable[str]) -> dict[int, list[str]]:
    buckets: dict[int, list[str]] = defaultdict(list)
    for keyword in sorted(keywords):
        buckets[len(keyword)].append(keyword)
    return buckets


_BUCKETS = _by_length(KEYWORDS)


def similarity(word: str, candidate: str) -> float:
    """How alike two words are, from 0 to 1 (difflib's ratio; a typo in six letters is 0.83)."""
    return difflib.SequenceMatcher(None, word, candidate).ratio()


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The keyword a misspelled word stands for, or the word itself."""
    if word in KNOWN or not word.isalpha() or not MIN_LENGTH <= len(word) <= MAX_LENGTH:
        return word
    # A typo adds, drops or swaps a letter or two: "nombre" is no misspelt "noviembre".
    low, high = len(word) - MAX_LENGTH_CHANGE, len(word) + MAX_LENGTH_CHANGE
    candidates = [k for size in range(low, high + 1) for k in _BUCKETS.get(size, ())]
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
    return found[0] if found else word


def corrected(words: list[str], protected: frozenset[str]) -> list[str]:
    """Every word corrected, except the shop's own names (a barber may be called like a word)."""
    return [word if word in protected else correct(word) for word in words]
