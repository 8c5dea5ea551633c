"""English read as the Spanish the rest of the understanding knows ("tomorrow at 5" → "manana a
las 5").

A phrasebook over normalized words, longest phrase first: every English word or phrase here is
rewritten to the Spanish words that mean the same to the readers of days, times, services,
intents and payments. Only words that are not also Spanish ones are rewritten ("a", "me", "no"
are left alone), so a Spanish message reads exactly as before.
"""

from __future__ import annotations

_NUMBERS = {
    "one": "una",
    "two": "dos",
    "three": "tres",
    "four": "cuatro",
    "five": "cinco",
    "six": "seis",
    "seven": "siete",
    "eight": "ocho",
    "nine": "nueve",
    "ten": "diez",
    "eleven": "once",
    "twelve": "doce",
}
_ORDINALS = {
    "first": "primero",
    "second": "segundo",
    "third": "tercero",
    "fourth": "cuarto",
    "fifth": "quinto",
}
_WEEKDAYS = {
    "monday": "lunes",
    "mon": "lunes",
    "tuesday": "martes",
    "tue": "martes",
    "tues": "martes",
    "wednesday": "miercoles",
    "wed": "miercoles",
    "thursday": "jueves",
    "thu": "jueves",
    "thur": "jueves",
    "thurs": "jueves",
    "friday": "viernes",
    "fri": "viernes",
    "saturday": "sabado",
    "sat": "sabado",
    "sunday": "domingo",
    "sun": "domingo",
}
_MONTHS = {
    "january": "enero",
    "february": "febrero",
    "march": "marzo",
    "april": "abril",
    "june": "junio",
    "july": "julio",
    "august": "agosto",
    "september": "septiembre",
    "october": "octubre",
    "november": "noviembre",
    "december": "diciembre",
}

# Phrases (space-separated English words) → Spanish words; "" drops the phrase.
PHRASES: dict[str, str] = {
    **_NUMBERS,
    **_ORDINALS,
    **{f"{word} one": spanish for word, spanish in _ORDINALS.items()},
    **_WEEKDAYS,
    **{f"{day}s": spanish for day, spanish in _WEEKDAYS.items() if len(day) > 4},
    **_MONTHS,
    # days
    "today": "hoy",
    "tomorrow": "manana",
    "tmrw": "manana",
    "tmr": "manana",
    "day after tomorrow": "pasado manana",
    "the day after tomorrow": "pasado manana",
    "tonight": "hoy a la noche",
    "next week": "la semana que viene",
    "this week": "esta semana",
    "next month": "el mes que viene",
    "weekend": "finde",
    "next weekend": "el proximo finde",
    "this weekend": "este finde",
    "next": "proximo",
    "every": "cada",
    "each": "cada",
    "weeks": "semanas",
    "week": "semana",
    "days": "dias",
    "months": "meses",
    "month": "mes",
    # parts of the day and clock words
    "this morning": "esta manana",
    "this afternoon": "esta tarde",
    "this evening": "esta noche",
    "morning": "la manana",
    "mornings": "la manana",
    "afternoon": "la tarde",
    "afternoons": "la tarde",
    "evening": "la noche",
    "evenings": "la noche",
    "night": "la noche",
    "noon": "mediodia",
    "midday": "mediodia",
    "lunchtime": "mediodia",
    "early": "temprano",
    "o clock": "en punto",
    "half past": "y media",
    "oclock": "en punto",
    "and": "y",
    "or": "o",
    "onwards": "en adelante",
    "on": "el",
    "in": "en",
    "an": "un",
    "of": "de",
    "for": "para",
    "with": "con",
    "without": "sin",
    # who
    "anyone": "cualquiera",
    "anybody": "cualquiera",
    "whoever": "cualquiera",
    "either": "cualquiera",
    "any": "cualquier",
    "any barber": "cualquier barbero",
    "whoever is free": "cualquiera",
    "whoever s free": "cualquiera",
    "no preference": "sin preferencia",
    "doesn t matter": "me da igual",
    "doesnt matter": "me da igual",
    "don t mind": "me da igual",
    "dont mind": "me da igual",
    "don t care": "me da igual",
    "dont care": "me da igual",
    # services
    "haircut": "corte",
    "haircuts": "corte",
    "hair cut": "corte",
    "hair": "pelo",
    "cut": "corte",
    "trim": "",
    "shave": "afeitado",
    "dye": "tintura",
    "dyed": "tintura",
    "dyeing": "tintura",
    "hair dyed": "tintura",
    "get my hair dyed": "tenirme",
    "hair dye": "tintura",
    "dye my hair": "tenirme",
    "hair color": "color",
    "hair colour": "color",
    "colour": "color",
    "hair coloring": "color",
    "hair colouring": "color",
    "class": "clase",
    # asking and booking
    "book": "reservar",
    "booking": "turno",
    "bookings": "turnos",
    "appointment": "turno",
    "appointments": "turnos",
    "appt": "turno",
    "slot": "turno",
    "slots": "turnos",
    "my booking": "mi turno",
    "my bookings": "mis turnos",
    "my appointment": "mi turno",
    "my appointments": "mis turnos",
    "can i": "puedo",
    "could i": "podria",
    "can i get": "puedo",
    "can i have": "puedo",
    "could i get": "podria",
    "can you": "podes",
    "could you": "podrias",
    "i want": "quiero",
    "i d like": "quisiera",
    "id like": "quisiera",
    "i would like": "quisiera",
    "would like": "quisiera",
    "i need": "necesito",
    "need": "necesito",
    "want": "quiero",
    "do you have": "tenes",
    "have you got": "tenes",
    "got anything": "tenes algo",
    "is there": "hay",
    "are there": "hay",
    "anything": "algo",
    "something": "algo",
    "available": "disponible",
    "free": "libre",
    "how much": "cuanto sale",
    "what do you charge": "cuanto cobran",
    "how much do you charge": "cuanto cobran",
    "close": "cierran",
    "closes": "cierra",
    "closing": "cierran",
    "closed": "cerrado",
    "price": "precio",
    "prices": "precios",
    "cost": "precio",
    "cancel": "cancelar",
    "cancel it": "cancelalo",
    "reschedule": "reprogramar",
    "reschedule it": "reprogramarlo",
    "change": "cambiar",
    "move": "cambiar",
    "move it": "cambiarlo",
    "same time": "a la misma hora",
    "waiting list": "lista de espera",
    "let me know if": "avisame si",
    "let me know when": "avisame cuando",
    "the usual": "lo de siempre",
    "same as always": "lo de siempre",
    "same as last time": "lo de la ultima vez",
    "i transferred": "ya transferi",
    "i ve transferred": "ya transferi",
    "i paid": "ya pague",
    "i ve paid": "ya pague",
    # paying
    "pay": "pagar",
    "pay by": "pagar con",
    "pay with": "pagar con",
    "pay in": "pagar en",
    "card": "tarjeta",
    "cards": "tarjeta",
    "credit card": "tarjeta",
    "debit card": "tarjeta",
    "bank transfer": "transferencia",
    "in person": "en el local",
    "at the shop": "en el local",
    "pay there": "pago ahi",
    # answers
    "yes": "si",
    "yeah": "si",
    "yea": "si",
    "yep": "si",
    "yup": "si",
    "sure": "dale",
    "of course": "claro",
    "alright": "dale",
    "all right": "dale",
    "fine": "bien",
    "great": "genial",
    "perfect": "perfecto",
    "sounds good": "me parece bien",
    "that works": "me sirve",
    "works for me": "me sirve",
    "go ahead": "dale",
    "do it": "dale",
    "please": "porfa",
    "pls": "porfa",
    "plz": "porfa",
    "confirm": "confirmo",
    "not really": "no",
    "no thanks": "no gracias",
    "no thank you": "no gracias",
    "thank you": "gracias",
    "thanks": "gracias",
    "never mind": "olvidalo",
    "nevermind": "olvidalo",
    "forget it": "olvidalo",
    "quit": "salir",
    "exit": "salir",
    "go back": "volver",
    "back": "volver",
    "main menu": "menu",
    "start over": "empezar de nuevo",
    "good morning": "buen dia",
    "good afternoon": "buenas tardes",
    "good evening": "buenas noches",
    "talk": "hablar",
    "speak": "hablar",
    "a person": "una persona",
    "option": "opcion",
    "number": "numero",
    "a human": "un humano",
}
_LONGEST = max(len(phrase.split()) for phrase in PHRASES)
_TABLE = {tuple(phrase.split()): spanish.split() for phrase, spanish in PHRASES.items()}
# Words whose Spanish depends on a clock time after them: "at 5" is "a las 5", "at night" "a".
_LEADS: dict[str, tuple[str, str]] = {
    "at": ("a las", "a"),
    "by": ("para las", "para"),
    "around": ("tipo", "tipo"),
    "about": ("tipo", "tipo"),
    "after": ("despues de las", "despues de"),
    "before": ("antes de las", "antes de"),
    "from": ("desde las", "desde"),
    "until": ("hasta las", "hasta"),
    "till": ("hasta las", "hasta"),
    "between": ("entre las", "entre"),
    "to": ("a las", ""),
    "the": ("el", ""),
}
_NOON = frozenset({"noon", "midday", "lunchtime"})
_ORDINAL_ENDINGS = frozenset({"st", "nd", "rd", "th"})


def _words_of(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SHARED = frozenset({"a", "me", "no", "o", "do", "ten", "mon", "don"})  # Spanish too ("Don Julio")
# Words only English uses, never Spanish ones (the language detector's and the name reader's).
WORDS: frozenset[str] = frozenset(
    w for phrase in (*PHRASES, *_LEADS) for w in phrase.split() if w not in _SHARED
) | _words_of(
    "i im m am is are was it its s you your my we us they there here this that what when where "
    "how who which can could would will should does did doesn t have get got be been not just "
    "hi hello hey guys thx too also very much well name names take accept"
)


def read_english(words: list[str], protected: frozenset[str] = frozenset()) -> list[str]:
    """The words with every English phrase of the phrasebook rewritten in Spanish (but the
    `protected` ones: the shop's own names)."""
    if not any(word in WORDS and word not in protected for word in words):
        return words  # nothing English: the common case costs one pass
    result: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in protected:
            result.append(word)
            i += 1
            continue
        if word in _ORDINAL_ENDINGS and result and result[-1].isdigit():
            i += 1  # "15 th" is the 15th
            continue
        # Phrases first ("the usual", "at the shop"), then a word by what follows it ("at 5").
        size, spanish = _phrase_at(words, i)
        if size < 2 and word in _LEADS:
            size, spanish = 1, _lead(word, following)
        result += spanish if size else [word]
        i += size or 1
    return _month_first(result)


def _phrase_at(words: list[str], i: int) -> tuple[int, list[str]]:
    """The longest phrase of the phrasebook starting at words[i]: its length and its Spanish."""
    for size in range(min(_LONGEST, len(words) - i), 0, -1):
        spanish = _TABLE.get(tuple(words[i : i + size]))
        if spanish is not None:
            return size, spanish
    return 0, []


def _lead(word: str, following: str) -> list[str]:
    clock, other = _LEADS[word]
    if following[:1].isdigit() or following in _NUMBERS:
        return clock.split()
    if word == "at" and following in _NOON:
        return ["al"]
    if word in ("to", "from") and following in _WEEKDAYS:
        return ["al" if word == "to" else "del"]  # "from Thursday to Friday"
    return other.split()


def _month_first(words: list[str]) -> list[str]:
    """ "diciembre 15" (English order) as "15 de diciembre"."""
    months = set(_MONTHS.values())
    for i in range(len(words) - 1):
        if words[i] in months and words[i + 1].isdigit() and len(words[i + 1]) <= 2:
            words[i : i + 2] = [words[i + 1], "de", words[i]]
    return words
