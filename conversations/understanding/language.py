"""Which language a message is written in: English or Spanish, by their everyday words.

Deterministic and cheap: it counts the words only English uses against the words only Spanish
uses, and answers only when one side has at least two and more than the other. A lone "ok",
"hola", "gracias", a name or an emoji says nothing (None): the conversation keeps its language.
"""

from __future__ import annotations

import re

from conversations.understanding import english
from conversations.understanding.lexicon import words_of
from conversations.understanding.normalize import normalize, readable

ENGLISH, SPANISH = "en", "es"
MIN_WORDS = 2
# Words a Spanish-speaking chat uses too ("ok", "hi", "thanks") prove nothing.
_BORROWED = words_of("ok okay hi hey hello bye thanks thx cash transfer ticket stop start help")
_ENGLISH = english.WORDS - _BORROWED
_SPANISH = words_of(
    "de del el la las lo los le les un una unos unas y en con sin por para que se te mi mis tu "
    "tus su sus ya si es soy sos muy mas re tan ni nos hola buenas buenos buen dia quiero "
    "quisiera queria necesito tenes tienen hay turno turnos manana hoy pasado tarde noche gracias "
    "dale bueno listo perfecto cuanto sale cuando donde como quien puedo podes vos corte barba "
    "lunes martes miercoles jueves viernes sabado domingo semana hora hs cualquiera efectivo "
    "transferencia tarjeta cancelar cambiar reservar nombre llamo porfa favor esta este eso"
)


# A first message that only greets in English ("Hello!", "good morning"): an "ok" or a "hi" a
# Spanish chat borrows is no such greeting.
_ENGLISH_GREETING = re.compile(
    r"^(?:hello(?: there| everyone| guys)?|(?:hi|hey) there|good (?:morning|afternoon|evening))$"
)


def greets_in_english(text: str) -> bool:
    """The message is only an English greeting (what the first one of a conversation says)."""
    return _ENGLISH_GREETING.match(normalize(readable(text)).strip()) is not None


def detect_language(text: str) -> str | None:
    """ "en" or "es" when the message is plainly written in one of them, else None."""
    found = normalize(readable(text)).split()
    english_words = sum(1 for word in found if word in _ENGLISH)
    spanish_words = sum(1 for word in found if word in _SPANISH)
    if english_words >= MIN_WORDS and english_words > spanish_words:
        return ENGLISH
    if spanish_words >= MIN_WORDS and spanish_words > english_words:
        return SPANISH
    return None
