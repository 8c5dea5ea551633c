"""`understand`: one message in, everything it says out (intents, service, who, when, name)."""

from __future__ import annotations

import re
from datetime import date

from conversations.understanding.asked_price import split_price
from conversations.understanding.catalog import (
    any_professional,
    entry_words,
    match_professional,
    match_service,
)
from conversations.understanding.dates import Days, read_days
from conversations.understanding.intents import read_intents
from conversations.understanding.model import Intent, ShopVocabulary, Understanding
from conversations.understanding.names import choice_number, introduced_name, person_name
from conversations.understanding.normalize import MAX_CHARS, normalize, words
from conversations.understanding.pair import read_pair
from conversations.understanding.payment import read_payment
from conversations.understanding.scratch import Scratch
from conversations.understanding.spelling import corrected
from conversations.understanding.times import read_times

# "está" (is) and "esta" (this) differ only by the accent normalize drops: "¿quién está
# mañana?" is about tomorrow, "esta mañana" is this morning. The verb is read as colloquial "ta".
_IS = re.compile(r"\best[áÁ]\b", re.IGNORECASE)
# Courtesies that carry day words but no date ("buenas tardes", "hasta mañana").
_COURTESIES = re.compile(
    r"\b(?:buenas tardes|buenas noches|buenos dias|buen dia|que descanses)\b|\bhasta manana ?$"
)

# The words that introduce a name ("soy", "me llamo", "mi nombre es", "te habla").
_INTRODUCED = r"(?:(?<=\bsoy )|(?<=\bllamo )|(?<=\bnombre es )|(?<=\bnombre de )|(?<=\bhabla ))"


def shop_words(vocabulary: ShopVocabulary) -> frozenset[str]:
    """Every word of the shop's service and professional names (never typo-corrected)."""
    entries = (*vocabulary.services, *vocabulary.professionals)
    return frozenset().union(*(entry_words(entry) for entry in entries))


def understand(text: str, vocabulary: ShopVocabulary, today: date) -> Understanding:
    """Read a customer's message: what they want, which service and professional, when."""
    raw = text[:MAX_CHARS]
    name = person_name(raw)
    protected = shop_words(vocabulary)
    # A name is read as typed: "soy Nico" must not become "soy inicio" (the menu).
    named = protected | frozenset(normalize(name or "").split())
    tokens = corrected(words(_IS.sub("ta", raw), protected), named)
    scratch = Scratch(tokens)
    scratch.take(_COURTESIES)
    if name:  # "soy Abril" is a person, not a month
        scratch.take(re.compile(_INTRODUCED + re.escape(normalize(name)) + r"\b"))
    times = read_times(scratch, vocabulary.opens, vocabulary.closes)
    try:
        days = read_days(scratch, today)
    except OverflowError:  # only next to date.max, where there is no "mañana"
        days = Days()
    first, last = days.first, days.last
    if first is None and times.today:
        first = last = today
    anyone = any_professional(scratch)
    left = scratch.words
    name_words = normalize(name or "").split()
    if name and len(name_words) < len(tokens):
        if introduced_name(raw, greeted=False) is None and match_professional(
            name_words, vocabulary.professionals
        ):
            name = None  # "Hola Tincho": the barber greeted, not the customer's own name
        else:
            # "soy Martín" introduces the customer, it does not ask for the barber Martín
            left = [w for w in left if w not in name_words]
    service_id = match_service(left, vocabulary.services)
    professional_id = match_professional(left, vocabulary.professionals)
    priced = split_price(raw, vocabulary)
    if priced is not None and priced[1] is not None:
        service_id = priced[1]  # the service booked, not the one whose price is asked
    intents = read_intents(
        tokens,
        raw,
        said_what=service_id is not None or professional_id is not None or anyone,
        said_when=first is not None or times.at is not None or times.window is not None,
    )
    if name and re.search(rf"\bhabla {re.escape(normalize(name))}\b", normalize(raw)):
        intents = set(intents) - {Intent.HUMAN}  # "te habla Seba" introduces, asks for nobody
    return Understanding(
        intents=frozenset(intents),
        service_id=service_id,
        professional_id=professional_id,
        any_professional=anyone and professional_id is None,
        first_day=first,
        last_day=last,
        at=times.at,
        window=times.window,
        number=choice_number(tokens),
        name=name,
        weekly=days.weekly,
        count=days.count,
        payment_method=read_payment(tokens),
        weekday=days.weekday,
        pair=read_pair(raw, vocabulary),
        priced_service_id=priced[0] if priced is not None else None,
    )
