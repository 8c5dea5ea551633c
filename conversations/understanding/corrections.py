"""Words for changing one's mind mid-booking: "otro día", "y barba también", "con Pablo" (nobody).

"Más temprano" / "un poco antes" are read with the times (times.py: `Times.shift`).
"""

from __future__ import annotations

import re

from conversations.understanding.lexicon import CONCEPT_WORDS, FIRST_NAMES, KNOWN, words_of

# "Otro día" / "otro horario" / "con otro": the customer wants that part chosen again.
_ANOTHER: dict[str, re.Pattern[str]] = {
    "day": re.compile(r"\b(?:otro|otra) (?:dia|fecha)\b|\botro dia\b|\bcambiar (?:el|de) dia\b"),
    "time": re.compile(r"\b(?:otro|otra) (?:horario|hora)\b|\bcambiar (?:el|de) horario\b"),
    "professional": re.compile(
        r"\bcon (?:otro|otra|alguien mas)\b|\b(?:otro|otra) (?:barbero|barbera|peluquero)\b"
    ),
}
# How people point at a barber they can't name: "con el gordo", "con la colorada".
_DESCRIPTORS = words_of(
    "gordo gorda flaco flaca pelado pelada negro negra rubio rubia morocho morocha petiso "
    "petisa alto alta colorado colorada pelilargo barbudo tatuado tatuada pibe piba chico chica"
)
_WITH = re.compile(r"\bcon (el |la )?([a-z]{2,})\b")
# Words after "con" that are never a person ("con tarjeta", "con mi hijo", "con barba").
_NEVER_PEOPLE = words_of(
    "mercadopago mp transferencia tarjeta efectivo plata guita debito credito "
    "ella el ellos ellas vos usted ustedes nosotros nosotras mismo misma ese esa este esta "
    "aquel aquella quien quienes alguien nadie todos todas"
)


_SERVICE_WORDS = "|".join(sorted(set().union(*CONCEPT_WORDS.values()), key=len, reverse=True))
# "Y barba también", "agregale barba", "hacémelo con barba": a service added to the one chosen.
_ADDING = re.compile(
    r"\b(?:tambien|las dos|ambas|agrega\w*|sumale|sumame|ademas)\b"
    rf"|\b(?:con|y|mas) (?:la |el )?(?:{_SERVICE_WORDS})\b"
)


def adding(text: str) -> bool:
    """Whether a service is named on top of the one already chosen ("y barba también")."""
    return _ADDING.search(text) is not None


def another(text: str) -> str | None:
    """Which part the customer wants to change without saying to what ("otro día")."""
    return next((part for part, pattern in _ANOTHER.items() if pattern.search(text)), None)


def unknown_professional(words: list[str], shop: frozenset[str]) -> str | None:
    """The person asked for with "con <name>" when nobody here is called so ("con Pablo")."""
    for match in _WITH.finditer(" ".join(words)):
        article, word = match.group(1), match.group(2)
        if word in shop or word in _NEVER_PEOPLE:
            continue
        if word in FIRST_NAMES or word in _DESCRIPTORS or (word not in KNOWN and not article):
            return (article or "") + word
    return None
