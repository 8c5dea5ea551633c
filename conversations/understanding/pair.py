"""Two people in one message: «para mí y mi hermano», «somos dos», «yo a las 10 y él a las 10:30».

`read_pair` finds whether a message asks for a second turno (for a friend, a son, a brother),
whether the two go side by side («a la vez») or back to back («uno atrás del otro»), the second
person's name when given («mi hermano Tomás»), and what each one said for themselves: the
service («corte y barba para mí y un corte para mi hijo»), the professional («yo con Lu y mi
hermano con Tincho») and the time («yo a las 11 y él 11:30»).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time

from conversations.understanding.catalog import match_professional, match_service
from conversations.understanding.lexicon import FIRST_NAMES, KNOWN
from conversations.understanding.model import PairRequest, ShopVocabulary
from conversations.understanding.names import person_name
from conversations.understanding.normalize import normalize, words
from conversations.understanding.scratch import Scratch
from conversations.understanding.times import read_times

# Who the second person is to the customer.
_RELATION = (
    r"(?:hijo|hija|hijos|nene|nena|pibe|hermano|hermana|hermanito|amigo|amiga|primo|prima|"
    r"novio|novia|pareja|marido|esposo|esposa|viejo|papa|padre|sobrino|sobrina|cunado|"
    r"companero|compa|socio|tio|abuelo|suegro|vecino)"
)
# A message asking for two turnos, one of them the customer's own.
_TWO = re.compile(
    r"\bpara mi y\b|\bpara mi y otro\b|\byo y (?:mi|un|una|el|la)\b|\bsomos dos\b"
    r"|\bsomos 2\b|\b(?:dos|2) (?:turnos|cortes|barbas|lugares)\b"
    r"|\bmi y (?:mi|un|una|para)\b|\bpara los dos\b|\bnosotros dos\b"
    # «queremos sacar turno con un amigo», «corte los dos con Tincho»
    r"|\b(?:queremos|queriamos|necesitamos|vamos|venimos|somos)\b[^.;!?]*\bcon (?:un|una|mi) "
    + _RELATION
    + r"\b|\b(?:corte|cortes|barba|barbas|turno|turnos) (?:para )?los dos\b|\blos dos con\b"
)
_TOGETHER = re.compile(
    r"\ba la vez\b|\bal mismo tiempo\b|\ba la misma hora\b|\bmisma hora\b|\bjuntos\b"
    r"|\ben simultaneo\b|\bsimultaneos?\b|\blos dos juntos\b"
)
_AFTER = re.compile(
    r"\buno (?:atras|despues|detras|tras) (?:del )?otro\b|\bseguidos?\b|\ba continuacion\b"
    r"|\bconsecutivos?\b|\bpegados?\b|\bdespues (?:de mi|el|ella|mi)\b|\bdespues yo\b"
)
_ANYONE = re.compile(r"\b(?:los|las) que (?:esten|haya|sean|puedan)\b|\bcon cualquiera\b")
# Where what the customer says for themselves ends and what they say for the other begins.
_YO_THEN_OTHER = re.compile(r"\byo\b(?P<mine>.*?)\by\b(?P<theirs>.*)")
_ME_THEN_OTHER = re.compile(r"\bpara mi\b(?P<mine>.*?)\by\b(?P<theirs>.*)")
# «uno a las 11 y el otro 11:30»: the first time the customer's, the second the other's.
_ONE_THEN_OTHER = re.compile(
    r"\buno\b(?P<mine>[^.;!?]*?)\by (?:el|la) otr[oa]\b(?P<theirs>[^.;!?]*)"
)
_THEIRS = re.compile(r"\bpara (?:mi|un|una|el|la) " + _RELATION + r"\b(?P<rest>.*)")
# «mi hermano Tomás», «mi amigo Lautaro», «se llama Benja»: a name after these words.
_NAMED = re.compile(
    r"(?:\b(?:mi|un|una|el|la) " + _RELATION + r"|\bse llama|\bsu nombre es)"
    r"\s+(?P<name>[^\W\d_]{2,})",
    re.IGNORECASE,
)
_NOT_NAMES = frozenset(
    [
        "de",
        "del",
        "el",
        "la",
        "los",
        "las",
        "a",
        "y",
        "que",
        "con",
        "para",
        "por",
        "corte",
        "barba",
        "turno",
        "tambien",
        "mismo",
        "misma",
        "otro",
        "otra",
        "uno",
        "una",
        "es",
        "anos",
        "ano",
        "dos",
        "tres",
        "mas",
        "quiere",
        "queria",
        "necesita",
    ]
)


def read_pair(raw: str, vocabulary: ShopVocabulary) -> PairRequest | None:
    """What the message says about two turnos, or None when it says nothing about a second."""
    text = _flat(raw)
    asked = _TWO.search(text) is not None
    split = _YO_THEN_OTHER.search(text) or _ME_THEN_OTHER.search(text)
    if split is not None and not _names_the_other(split.group("theirs")):
        split = None  # «yo a las 10 y ...» without anyone else in it is not about two people
    if not asked and split is None:
        return None
    mine = split.group("mine") if split else ""
    theirs = split.group("theirs") if split else ""
    # Each one's time and professional only when both are said apart («yo a las 10 y él a
    # las 10:30»); one said once («para mí y un amigo a las 17») is for the two of them.
    own_at, at = _time(mine, vocabulary), _time(theirs, vocabulary)
    one = _ONE_THEN_OTHER.search(text) if asked else None
    if one is not None and (own_at is None or at is None):  # «uno a las 11 y el otro 11:30»
        own_at, at = _time(one.group("mine"), vocabulary), _time(one.group("theirs"), vocabulary)
    if own_at is None or at is None or own_at == at:
        own_at = at = None
    own_pro = match_professional(words(mine), vocabulary.professionals)
    pro = match_professional(words(theirs), vocabulary.professionals)
    if own_pro is None or pro is None:
        own_pro = pro = None
    together: bool | None = None
    if _TOGETHER.search(text):
        together = True
    elif _AFTER.search(text) or at is not None:
        together = False
    elif own_pro is not None and own_pro != pro:
        together = True  # «yo con Lu y mi hermano con Tincho»: two barbers at once
    return PairRequest(
        asked=asked,
        together=together,
        name=their_name(raw),
        service_id=_their_service(text, vocabulary),
        professional_id=pro,
        at=at,
        own_service_id=_own_service(text, vocabulary),
        own_professional_id=own_pro,
        own_at=own_at,
        anyone=_ANYONE.search(text) is not None,
    )


# One turno for someone else, not two: «quería sacar turno para mi hijo», «es para mi viejo».
_FOR_OTHER = re.compile(r"\bpara (?:mi|su|el|la) " + _RELATION + r"\b")
_UNDER = re.compile(r"\ba nombre de\s+(?P<name>[^\W\d_]{2,})", re.IGNORECASE)


def under_name(raw: str) -> str | None:
    """The name in «a nombre de Felipe» (the turno's, maybe not the customer's own)."""
    match = _UNDER.search(raw)
    if match is None:
        return None
    name = match.group("name")
    plain = normalize(name)
    if plain in _NOT_NAMES or (plain in KNOWN and plain not in FIRST_NAMES):
        return None
    return name[:1].upper() + name[1:]


def for_someone(raw: str, own: str | None) -> tuple[bool, str | None]:
    """Whether the one turno asked is for someone else, and their name when said: «para mi
    hijo Felipe», «es para mi hijo, se llama Felipe», «soy Sole … a nombre de Felipe»."""
    text = _flat(raw)
    under = under_name(raw)
    other = under is not None and own is not None and normalize(under) != normalize(own)
    if _FOR_OTHER.search(text) and not _TWO.search(text):
        other = True
    if not other:
        return False, None
    return True, under if under is not None and under != own else their_name(raw)


def their_name(raw: str) -> str | None:
    """The second person's name in «mi hermano Tomás» or «se llama Benja»."""
    for match in _NAMED.finditer(raw):
        name = match.group("name")
        plain = normalize(name)
        if plain in _NOT_NAMES or (plain in KNOWN and plain not in FIRST_NAMES):
            continue
        return name[:1].upper() + name[1:]
    return None


def answered_name(raw: str) -> str | None:
    """The name given when asked for the second person's («Bauti», «mi amigo Lautaro»)."""
    named = their_name(raw)
    if named:
        return named
    plain = re.sub(r"^\s*(?:es|a nombre de|ponele|pone)\s+", "", raw.strip(), flags=re.I)
    return person_name(plain)


def _flat(raw: str) -> str:
    """Lowercase without accents, punctuation kept (it separates what each one wants)."""
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " + re.sub(r"\s+", " ", plain) + " "


def _names_the_other(theirs: str) -> bool:
    return re.search(r"\b(?:el|ella|" + _RELATION + r")\b", theirs) is not None


def _time(segment: str, vocabulary: ShopVocabulary) -> time | None:
    if not segment.strip():
        return None
    return read_times(Scratch(words(segment)), vocabulary.opens, vocabulary.closes).at


def _own_service(text: str, vocabulary: ShopVocabulary) -> int | None:
    """The service in the clause right before «para mí» («corte y barba para mí y ...»)."""
    cut = re.search(r"\bpara mi\b", text)
    if cut is None:
        return None
    clauses = [c for c in re.split(r"[:,.;!?]", text[: cut.start()]) if c.strip()]
    return match_service(words(clauses[-1]), vocabulary.services) if clauses else None


def _their_service(text: str, vocabulary: ShopVocabulary) -> int | None:
    """The service asked for the other person («y un corte para mi hijo»), if named apart."""
    cut = re.search(r"\bpara mi y\b", text)
    if cut is None:
        return None
    after = text[cut.end() :]
    relation = re.search(r"\bpara (?:mi|un|una|el|la|su) " + _RELATION, after)
    if relation is None:
        return None
    clauses = [c for c in re.split(r"[:,.;!?]", after[: relation.start()]) if c.strip()]
    if not clauses or re.search(r"\botr[oa]\b", clauses[-1]):
        return None  # «y otro para mi hijo»: the same
    return match_service(words(clauses[-1]), vocabulary.services)
