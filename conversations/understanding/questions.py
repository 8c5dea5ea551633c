"""Questions about the shop itself: where it is, when it opens, who works when, who does what,
how to pay, what things cost, and the elliptical follow-up ("¿y con barba?").

A question is read from the normalized words, after the rest of the message has been understood
(the service, professional, day and payment method it names are its subject). Availability
("¿tenés algo el sábado?") is no question here: that is a booking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from conversations.understanding.catalog import concepts
from conversations.understanding.model import CatalogEntry
from conversations.understanding.normalize import normalize


class Topic(StrEnum):
    """What a question about the shop is about."""

    WHERE = "where"  # the address, how to get there
    CONTACT = "contact"  # the shop's phone
    HOURS = "hours"  # when the shop opens (on a day, or in general)
    SCHEDULE = "schedule"  # when one professional works
    STAFF = "staff"  # who works (on a day)
    WHO_DOES = "who_does"  # who does a service (or whether someone does it)
    PAYMENT = "payment"  # how one can pay
    PRICE = "price"  # what a service costs and how long it takes
    FOLLOW_UP = "follow_up"  # "¿y con barba?", "¿y Facu?": the last question about something else
    OTHER = "other"  # "¿tienen estacionamiento?": a question the chat cannot answer (the shop can)


# The topics a sentence asks about on its own (a follow-up needs the last answer).
TOPICS = frozenset(Topic) - {Topic.FOLLOW_UP, Topic.OTHER}


class Focus(StrEnum):
    """The end of a span of hours the question cares about."""

    START = "start"  # "¿a qué hora arranca?"
    END = "end"  # "¿hasta qué hora?"


@dataclass(frozen=True)
class Question:
    """A question about the shop and what it is about (None where it names nothing)."""

    topic: Topic
    service_id: int | None = None
    professional_id: int | None = None
    day: date | None = None
    payment_method: str | None = None
    focus: Focus | None = None
    # The message also asks for a turno ("¿abren el sábado? quiero un corte").
    books: bool = False
    # A follow-up that adds to the last subject ("¿y con barba?" after the price of a corte).
    adds: bool = False
    # About one person not named ("¿y él qué días viene?", "¿a qué hora arranca?").
    someone: bool = False
    # Starts with "y": goes on from the last answer ("¿y hasta qué hora?").
    going_on: bool = False
    # Other questions of the same message, each with what it is about.
    more: tuple[Question, ...] = ()


_DAY = r"(?:hoy|manana|pasado|lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|feriados?)"
_OPEN = r"(?:abren|abris|abre|abierto|abiertos|abierta|cierran|cerras|cierra|cerrado|cerrados)"
_SERVE = r"(?:atienden|atendes|trabajan|laburan)"
_WORKS = r"(?:trabaja|labura|atiende|viene|ta|esta|va|estara|viene a trabajar)"
_STARTS = r"(?:arranca|arrancan|empieza|empiezan|entra|entran|llega|llegan|abren|abris|abre)"
_ENDS = r"(?:termina|terminan|sale|salen|se va|se van|cierran|cerras|cierra)"
_AT_WHAT_TIME = r"(?:a que hora|a partir de que hora|desde que hora|que hora)"
_UNTIL = r"(?:hasta que hora|hasta cuando|hasta que horario)"

_PATTERNS: dict[Topic, re.Pattern[str]] = {
    Topic.WHERE: re.compile(
        r"\bdonde (?:estan|esta|ta|queda|quedan|es|estas|se encuentran|los encuentro|atienden"
        r"|ubicados|quedaria|seria)\b"
        r"|\b(?:direccion|ubicacion|ubicados|ubicadas|maps|mapa)\b"
        r"|\bcomo (?:llego|se llega|hago para llegar|los encuentro)\b"
        r"|\ben que (?:zona|barrio|calle|parte)\b"
        r"|\bwhere (?:are you|r u|is the (?:shop|place|barbershop)|is it|do i go)\b"
        r"|\b(?:located|address|location)\b"
    ),
    Topic.CONTACT: re.compile(
        r"\b(?:telefono|celular|celu|whatsapp|wsp)\b"
        r"|\b(?:numero|nro) (?:de (?:telefono|contacto|la barberia|del local)|para llamar)\b"
        r"|\b(?:cual es|pasame|pasas|me das|dame|tenes|tienen) (?:el |un |su |tu )?numero\b"
        r"|\bphone(?: number)?\b"
    ),
    Topic.PAYMENT: re.compile(
        r"\b(?:aceptan|aceptas|acepta|toman|tomas|reciben|recibis|trabajan con|trabajas con)"
        r" (?:\w+ )?(?:tarjetas?|efectivo|transferencias?|mercado ?pago|mp|debito|credito|qr"
        r"|pagos?|dolares|plata|billetera|modo|cuenta dni)\b"
        r"|\b(?:se puede|puedo|podes|podria|hay que|tengo que) (?:pagar|abonar)\b"
        r"|\bcomo (?:se )?(?:paga|pago|abono|abona)\b|\bcon que (?:se )?(?:paga|pago|abono)\b"
        r"|\b(?:formas?|medios?|metodos?|maneras?) de pago\b"
        r"|\b(?:tenes|tienen|hay|usan) (?:mercado ?pago|mp|tarjeta|transferencia|posnet|qr"
        r"|alias|cbu|cvu|efectivo)\b"
        r"|\bsolo efectivo\b"
        r"|\b(?:accept|take) (?:\w+ )?(?:cards?|cash|transfers?|credit|debit|mercado ?pago|tarjeta"
        r"|efectivo|transferencia)\b"
        r"|\bhow (?:can|do|should) i pay\b|\bpayment (?:methods?|options?)\b"
    ),
    Topic.PRICE: re.compile(
        r"\bcuanto (?:sale|salen|cuesta|cuestan|vale|valen|cobras|cobran|cobra|esta|estan"
        r"|seria|serian|me sale|me cobras|me cobran|dura|duran|tarda|tardan|tiempo|lleva)\b"
        r"|\b(?:precio|precios|tarifa|tarifas|lista de precios)\b|\bque precio\b"
        r"|\bque (?:servicios|cosas|trabajos) (?:tienen|hacen|haces|ofrecen|hay)\b"
        r"|\b(?:servicios|que hacen)\s*$"
        r"|\bhow much\b|\bhow long (?:does|is)\b|\bprices?\b"
    ),
}
_SCHEDULE = re.compile(
    rf"\bque dias (?:{_WORKS}|trabajan|atienden|vienen)\b"
    rf"|\bcuando (?:{_WORKS})\b|\b(?:{_AT_WHAT_TIME}|{_UNTIL}) (?:\w+ )?(?:{_WORKS}"
    rf"|{_STARTS}|{_ENDS})\b"
    rf"|(?<!que )\b(?:{_WORKS}) (?:\w+ )?(?:el |los |este |esta |la )?{_DAY}\b"
    r"|\bhorarios? (?:de|del|tiene)\b"
    r"|\b(?:does \w+ work|when does \w+ (?:work|start|come in)|what days does)\b"
)
# "¿Lu está libre el jueves?" asks for a turno ("libre" may come back spelt "libere").
_NOT_SCHEDULE = re.compile(
    r"\b(?:ta|esta) (?:bien|libre|libres|libere|disponible|ocupado|ocupada|bueno)\b"
)
_HOURS = re.compile(
    rf"\b(?:{_AT_WHAT_TIME}|{_UNTIL}) (?:\w+ )?(?:{_OPEN}|{_SERVE}|ta abierto|tan abiertos)\b"
    rf"|\b(?:{_AT_WHAT_TIME}|{_UNTIL}) (?:\w+ )?(?:{_STARTS}|{_ENDS}|trabaja|trabajan|labura"
    r"|laburan|viene|vienen)\b"
    rf"|\b{_UNTIL}\b|\b{_OPEN}\b|(?<!me )\b{_SERVE}\b"
    r"|\b(?:que|cual es el|cuales son los|el|los|sus|tu|su) horarios?\b"
    r"(?! (?:libres?|disponibles?|tenes|hay|quedan|para|me|te|ta|esta|de las|de la|a las))"
    r"|^ ?horarios? ?\??$|\bhorarios? de atencion\b"
    r"|\bque dias\b(?! (?:tenes|hay|quedan))"
    r"|\bdias y horarios\b"
    rf"|\b{_DAY} (?:estan|tan)\b|\b(?:estan|tan) (?:el |los |este )?{_DAY}\b"
    r"|\b(?:estan|tan) (?:atendiendo|trabajando)\b"
    r"|\bopening hours\b|\b(?:what time|when) do you (?:open|close)\b|\bare you open\b"
    r"|\bdo you open\b|\buntil what time\b|\byour hours\b"
)
_STAFF = re.compile(
    r"\bquien(?:es)? (?:me |te |lo |la )?(?:trabaja|trabajan|ta|esta|estan|atiende|atienden"
    r"|viene|vienen|labura|laburan|hay)\b"
    r"|\b(?:que|cuales|cuantos) (?:barberos|peluqueros|profesionales|chicos)\b"
    r"|\bcon quien(?:es)? (?:puedo|se puede)\b"
    r"|\bwho (?:works|is working|is in)\b"
)
_WHO_DOES = re.compile(
    r"\bquien(?:es)? (?:me |te |lo |la )?(?:hace|hacen|corta|cortan|tine|tinen|sabe|saben"
    r"|puede|pueden|se encarga|se encargan)\b"
    r"|\bcon quien (?:me (?:hago|corto|tino)|hago|saco)\b"
    r"|\bwho (?:does|do|can do)\b"
)
# "¿hacen color?", "¿Lu hace barba?" (but "¿me hacen la barba mañana?" asks for a turno).
_DOES = re.compile(r"(?<!me )(?<!te )\b(?:hace|hacen|haces|cortan|corta|tinen)\b")
_FROM = re.compile(rf"\b(?:{_AT_WHAT_TIME}) (?:\w+ )?(?:{_STARTS}|{_WORKS}|{_OPEN}|{_SERVE})\b")
_TO = re.compile(rf"\b{_UNTIL}\b|\b(?:{_AT_WHAT_TIME}) (?:\w+ )?{_ENDS}\b")
# Asking for a turno in so many words (not inferred from a service and a day, which a question
# about the shop names too).
_BOOKS = re.compile(
    r"\b(?:quiero|quisiera|queria|necesito|necesitaria|busco|dame|haceme|reservame|reservar"
    r"|anotame|agendame|sacar|agendar|reserva)\b|\b(?:un|otro) turno\b"
    r"|\b(?:tenes|tienen|hay|queda|quedan) (?:algo|lugar|turno|turnos|hueco|espacio|cupo)\b"
)
_SOMEONE = re.compile(
    r"\b(?:el|ella)\b(?= (?:que|a que|hasta|cuando|trabaja|viene|labura|atiende|arranca|entra))"
    r"|\b(?:trabaja|labura|viene|arranca|empieza|entra|llega|termina|sale|atiende)\b"
)
# A yes-or-no question asked in so many words ("¿tienen estacionamiento?"), not small talk
# ("¿qué días tenés?" or "¿cuándo podés?" ask for a turno in words the chat may not know).
_OTHER = re.compile(
    r"^ ?(?:(?:hola|buenas|buen dia|buenos dias|che|una pregunta|una consulta|consulta|disculpa"
    r"|disculpen|perdon)\s+)*(?:tienen|tenes|hay|se puede|puedo|pueden|podes|es|son"
    r"|aceptan|hacen|venden|incluye|incluyen|dan|usan)\b"
    r"(?! (?:tal|onda|estas|estan|andas|andan|va|anda|hago|hay de nuevo)\b)"
)
_AND = re.compile(r"^ ?y\b")
_ADDS = re.compile(r"^ ?y (?:con|mas|\+|agregando|sumando)\b")
MAX_FOLLOW_UP_WORDS = 6


def read_question(
    words: list[str],
    *,
    service_id: int | None,
    professional_id: int | None,
    day: date | None,
    at: time | None,
    payment_method: str | None,
    asking: bool = False,
) -> Question | None:
    """The question about the shop a message asks, if any; `asking`: it has a question mark."""
    text = " " + " ".join(words) + " "
    books = asks_for_a_turno(words)
    topic = _topic(text, professional_id, service_id, day is not None or at is not None, books)
    if topic is None:
        said = (service_id, professional_id, day, payment_method)
        short = len(words) <= MAX_FOLLOW_UP_WORDS
        if _AND.search(text) and short and any(v is not None for v in said):
            topic = Topic.FOLLOW_UP
        elif asking and _OTHER.search(text) and not any(v is not None for v in said):
            topic = Topic.OTHER
        else:
            return None
    focus = Focus.END if _TO.search(text) else Focus.START if _FROM.search(text) else None
    # "¿cuánto sale la barba y dónde están?": the other plain topics the same sentence asks.
    more = tuple(
        Question(other, service_id, professional_id, day, payment_method)
        for other in _PLAIN
        if other is not topic and _PATTERNS[other].search(text)
    )
    if topic in _PLAIN and professional_id is None and _shop_hours_asked(text):
        # "¿cuánto sale el corte y hasta qué hora abren hoy?": the hours too
        more += (Question(Topic.HOURS, None, None, day, None, focus),)
    return Question(
        topic,
        service_id,
        professional_id,
        day,
        payment_method,
        focus,
        books,
        adds=topic is Topic.FOLLOW_UP and _ADDS.search(text) is not None,
        someone=professional_id is None and _SOMEONE.search(text) is not None,
        going_on=_AND.search(text) is not None,
        more=more,
    )


_PLAIN = (Topic.WHERE, Topic.CONTACT, Topic.PAYMENT, Topic.PRICE)


def asks_for_a_turno(words: list[str]) -> bool:
    """The words ask for a turno in so many words ("quiero un corte", "reservame")."""
    return _BOOKS.search(" " + " ".join(words) + " ") is not None


def _topic(
    text: str, professional_id: int | None, service_id: int | None, when: bool, books: bool
) -> Topic | None:
    for topic in _PLAIN:
        if _PATTERNS[topic].search(text):
            return topic
    if _WHO_DOES.search(text):
        return Topic.WHO_DOES if service_id is not None else Topic.STAFF
    if service_id is not None and _DOES.search(text) and not (when or books):
        return Topic.WHO_DOES
    if _STAFF.search(text):
        return Topic.WHO_DOES if service_id is not None else Topic.STAFF
    if professional_id is not None and _SCHEDULE.search(text) and not _NOT_SCHEDULE.search(text):
        return Topic.SCHEDULE
    # "¿me atienden mañana a las 10?" asks for a turno; "¿a qué hora abren?" does not.
    if _HOURS.search(text) and not (_AT_TIME.search(text) and not _OPEN_WORD.search(text)):
        return Topic.HOURS
    return None


def _shop_hours_asked(text: str) -> bool:
    """The words ask when the shop opens or closes (not "¿me atienden a las 10?")."""
    return _HOURS.search(text) is not None and not (
        _AT_TIME.search(text) and not _OPEN_WORD.search(text)
    )


_OPEN_WORD = re.compile(rf"\b{_OPEN}\b")
_AT_TIME = re.compile(r"\ba las? \d")


def combined_service(
    base: CatalogEntry, added: CatalogEntry, services: tuple[CatalogEntry, ...]
) -> int | None:
    """The service that is `base` plus `added` ("Corte" with "Barba" → "Corte + barba")."""
    if not _concepts_of(added) - _concepts_of(base):
        return None  # nothing known to add
    wanted = _concepts_of(base) | _concepts_of(added)
    matches = [s.id for s in services if _concepts_of(s) == wanted]
    return matches[0] if len(matches) == 1 else None


def _concepts_of(entry: CatalogEntry) -> frozenset[str]:
    return concepts(normalize(entry.name).split())
