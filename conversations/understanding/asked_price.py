"""A price question asked together with a booking: «cuánto sale la barba? y dame turno para corte».

The service in the question is the one whose price is asked; the one in the rest of the
message is the one to book (the same, when the rest names none).
"""

from __future__ import annotations

import re

from conversations.understanding.catalog import match_service
from conversations.understanding.model import ShopVocabulary
from conversations.understanding.normalize import words

_ASKS_PRICE = re.compile(
    r"\bcu[aá]nto (?:sale|salen|cuesta|cuestan|vale|valen|cobr\w*|est[aá]n?|ser[ií]an?|me \w+)\b"
    r"|\bprecios?\b|\btarifas?\b",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"[?¿!.,;:\n]+")


def split_price(raw: str, vocabulary: ShopVocabulary) -> tuple[int | None, int | None] | None:
    """(the service priced, the service to book) when the message asks a price in one clause
    and books in another; None when it does not."""
    clauses = [c for c in _CLAUSES.split(raw) if c.strip()]
    asking = [c for c in clauses if _ASKS_PRICE.search(c)]
    rest = [c for c in clauses if not _ASKS_PRICE.search(c)]
    if not asking or not rest:
        return None
    priced = match_service(words(" ".join(asking)), vocabulary.services)
    booked = match_service(words(" ".join(rest)), vocabulary.services)
    return priced, booked
