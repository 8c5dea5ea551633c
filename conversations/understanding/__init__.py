"""Free-text understanding of Argentine Spanish for the chat: pure, offline, deterministic.

`understand(text, vocabulary, today)` reads one message into an `Understanding`: intents,
service, professional (or "cualquiera"), day span, exact time or window, a choice number, the
person's name, repetition and payment method. `pick_day` finds the day it names in a dated list.
Nothing here does I/O or reads the clock.
"""

from conversations.understanding.choices import pick_day
from conversations.understanding.model import (
    CatalogEntry,
    Intent,
    ShopVocabulary,
    Understanding,
)
from conversations.understanding.names import first_name, introduced_name
from conversations.understanding.normalize import normalize
from conversations.understanding.parse import understand
from conversations.understanding.questions import Focus, Question, Topic, combined_service

__all__ = [
    "CatalogEntry",
    "Focus",
    "Intent",
    "Question",
    "ShopVocabulary",
    "Topic",
    "Understanding",
    "combined_service",
    "first_name",
    "introduced_name",
    "normalize",
    "pick_day",
    "understand",
]
