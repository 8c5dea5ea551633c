"""`understand`: one message in, everything it says out (intents, service, who, when, name)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from conversations.understanding.catalog import (
    any_professional,
    entry_words,
    match_professional,
    match_service,
)
from conversations.understanding.dates import Days, read_days
from conversations.understanding.intents import read_intents
from conversations.understanding.model import ShopVocabulary, Understanding
from conversations.understanding.names import choice_number, person_name
from conversations.understanding.normalize import MAX_CHARS, normalize, words
from conversations.understanding.payment import read_payment
from conversations.understanding.questions import TOPICS, asks_for_a_turno, read_question
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
_INTRODUCED = r"(?:(?<=\bsoy )|(?<=\bllamo )|(?<=\bnombre es )|(?<=\bhabla ))"


def shop_words(vocabulary: ShopVocabulary) -> frozenset[str]:
    """Every word of the shop's service and professional names (never typo-corrected)."""
    entries = (*vocabulary.services, *vocabulary.professionals)
    return frozenset().union(*(entry_words(entry) for entry in entries))


# Where one sentence of a message ends ("¿dónde están? quiero un corte"); not "17.30".
_SENTENCE_END = re.compile(r"[?!;\n¿¡]|\.(?!\d)")


def understand(text: str, vocabulary: ShopVocabulary, today: date) -> Understanding:
    """Read a customer's message: what they want, which service and professional, when."""
    return _with_questions(text, _read(text, vocabulary, today), vocabulary, today)


def _with_questions(
    text: str, whole: Understanding, vocabulary: ShopVocabulary, today: date
) -> Understanding:
    """A message that asks about the shop and also asks for a turno ("¿cuánto sale la barba? y
    dame turno para corte el jueves") read sentence by sentence: the questions with what each
    is about, the rest as the request (the barba's price; a corte on Thursday)."""
    sentences = [c for c in _SENTENCE_END.split(text[:MAX_CHARS]) if c.strip()]
    if len(sentences) < 2:
        return whole
    read = [(sentence, _read(sentence, vocabulary, today)) for sentence in sentences]
    questions = [u.question for _, u in read if u.question and u.question.topic in TOPICS]
    if not questions:
        return whole
    rest = " ".join(s for s, u in read if not (u.question and u.question.topic in TOPICS))
    books = asks_for_a_turno(words(text[:MAX_CHARS]))
    first = replace(questions[0], books=books, more=tuple(questions[1:]))
    main = _read(rest, vocabulary, today) if rest.strip() else whole
    return replace(main, question=first)


def _read(text: str, vocabulary: ShopVocabulary, today: date) -> Understanding:
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
    if name and len(normalize(name).split()) < len(tokens):
        # "soy Martín" introduces the customer, it does not ask for the barber Martín
        left = [w for w in left if w not in normalize(name).split()]
    service_id = match_service(left, vocabulary.services)
    professional_id = match_professional(left, vocabulary.professionals)
    intents = read_intents(
        tokens,
        raw,
        said_what=service_id is not None or professional_id is not None or anyone,
        said_when=first is not None or times.at is not None or times.window is not None,
    )
    payment_method = read_payment(tokens)
    question = read_question(
        tokens,
        service_id=service_id,
        professional_id=professional_id,
        day=first,
        at=times.at,
        payment_method=payment_method,
        asking="?" in raw,
    )
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
        payment_method=payment_method,
        weekday=days.weekday,
        question=question,
    )
