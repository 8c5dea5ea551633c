"""`understand`: one message in, everything it says out (intents, service, who, when, name)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from conversations.understanding.asked_price import split_price
from conversations.understanding.catalog import (
    any_professional,
    entry_words,
    match_professional,
    match_service,
    named_last,
)
from conversations.understanding.corrections import (
    adding,
    another,
    unknown_professional,
)
from conversations.understanding.dates import Days, read_days
from conversations.understanding.intents import read_intents
from conversations.understanding.model import Intent, ShopVocabulary, Understanding
from conversations.understanding.names import choice_number, introduced_name, person_name
from conversations.understanding.normalize import normalize, readable, words
from conversations.understanding.pair import for_someone, read_pair, under_name
from conversations.understanding.payment import read_payment
from conversations.understanding.phones import without_phone_numbers
from conversations.understanding.questions import TOPICS, Topic, asks_for_a_turno, read_question
from conversations.understanding.scratch import Scratch
from conversations.understanding.spelling import corrected
from conversations.understanding.times import hour_after_day, read_times

# "está" (is) and "esta" (this) differ only by the accent normalize drops: "¿quién está
# mañana?" is about tomorrow, "esta mañana" is this morning. The verb is read as colloquial "ta".
_IS = re.compile(r"\best[áÁ]\b", re.IGNORECASE)
# Courtesies that carry day words but no date ("buenas tardes", "hasta mañana").
_COURTESIES = re.compile(
    r"\b(?:buenas tardes|buenas noches|buenos dias|buen dia|que descanses)\b|\bhasta manana ?$"
)

# The words that introduce a name ("soy", "me llamo", "mi nombre es", "te habla").
_INTRODUCED = r"(?:(?<=\bsoy )|(?<=\bllamo )|(?<=\bnombre es )|(?<=\bnombre de )|(?<=\bhabla ))"

# A long message (a story, then the request) is read from its end: its last clauses one by one,
# each thing they say (what, with whom, which day, what time, how to pay, what to do) taken from
# the last clause saying it, and the story before them only for what they leave unsaid. The
# request comes at the end, and a day told in the story is no day wanted.
LONG = 400
LAST_CHARS = 300  # the last clauses read one by one: at least these many characters of them
# Clauses end at punctuation, or where a connective starts another ("así que", "pero").
_CLAUSE_END = re.compile(
    r"(?:[!?;\n]|[.,](?!\d))+|\b(?:as[ií] q(?:ue)?|pero|porque|xq|y bueno|entonces)\b",
    re.IGNORECASE,
)
_SMALL_TALK = frozenset({Intent.GREETING, Intent.THANKS})
_ASKED_ANYWHERE = frozenset({Intent.PRICES, *_SMALL_TALK})
_MANAGING = frozenset({Intent.CANCEL, Intent.RESCHEDULE, Intent.MY_BOOKINGS, Intent.WAITLIST})


def shop_words(vocabulary: ShopVocabulary) -> frozenset[str]:
    """Every word of the shop's service and professional names (never typo-corrected)."""
    entries = (*vocabulary.services, *vocabulary.professionals)
    return frozenset().union(*(entry_words(entry) for entry in entries))


# Where one sentence of a message ends ("¿dónde están? quiero un corte"); not "17.30".
_SENTENCE_END = re.compile(r"[?!;\n¿¡]|\.(?!\d)")


_NOTHING = Understanding(
    intents=frozenset(),
    service_id=None,
    professional_id=None,
    any_professional=False,
    first_day=None,
    last_day=None,
    at=None,
    window=None,
    number=None,
    name=None,
)


def understand(text: str, vocabulary: ShopVocabulary, today: date) -> Understanding:
    """Read a customer's message: what they want, which service and professional, when."""
    raw = without_phone_numbers(readable(text))
    if not raw.strip():  # a tapped choice: nothing to read (half of all turns)
        return _NOTHING
    whole = _latest(raw, vocabulary, today) if len(raw) > LONG else _read(raw, vocabulary, today)
    return _with_questions(raw, whole, vocabulary, today)


def _latest(raw: str, vocabulary: ShopVocabulary, today: date) -> Understanding:
    """A long message, each thing it says as the last clause that says it says it."""
    clauses = [clause for clause in _CLAUSE_END.split(raw) if clause.strip()]
    last_ones: list[str] = []
    for clause in reversed(clauses):
        last_ones.append(clause)
        if sum(len(c) for c in last_ones) >= LAST_CHARS:
            break
    story = " ".join(clauses[: len(clauses) - len(last_ones)])
    readings = [_read(clause, vocabulary, today, with_name=False) for clause in last_ones]
    if story:  # what the last clauses leave unsaid, the story before them may say
        readings.append(_read(story, vocabulary, today, with_name=False))

    def last(says: Callable[[Understanding], object]) -> Understanding | None:
        return next((reading for reading in readings if says(reading)), None)

    what = last(lambda r: r.service_id is not None)
    who = last(lambda r: r.professional_id is not None or r.any_professional)
    day = last(lambda r: r.first_day is not None)
    hour = last(lambda r: r.at is not None or r.window is not None)
    paying = last(lambda r: r.payment_method is not None)
    asked = last(lambda r: bool(r.intents - _SMALL_TALK))
    paired = last(lambda r: r.pair is not None)
    priced = last(lambda r: r.priced_service_id is not None)
    intents = set(asked.intents if asked else ())
    intents |= {i for r in readings for i in r.intents if i in _ASKED_ANYWHERE}
    own, for_other, for_name = _whose(raw, person_name(raw))
    if (what or who) and (day or hour) and not intents & _MANAGING:
        intents.add(Intent.BOOK)  # "corte con Facu." then "el lunes a las 13, se puede?"
    return Understanding(
        intents=frozenset(intents),
        service_id=what.service_id if what else None,
        professional_id=who.professional_id if who else None,
        any_professional=bool(who and who.any_professional),
        first_day=day.first_day if day else None,
        last_day=day.last_day if day else None,
        at=hour.at if hour else None,
        window=hour.window if hour else None,
        number=None,
        name=own,
        weekly=day.weekly if day else None,
        count=day.count if day else None,
        payment_method=paying.payment_method if paying else None,
        weekday=day.weekday if day else None,
        pair=paired.pair if paired else None,
        priced_service_id=priced.priced_service_id if priced else None,
        for_other=for_other,
        for_name=for_name,
        under_name=under_name(raw),
    )


def _whose(raw: str, name: str | None) -> tuple[str | None, bool, str | None]:
    """The customer's own name, whether the turno is for someone else, and that one's name."""
    for_other, for_name = for_someone(raw, name)
    if for_other and name is not None and name in (for_name, under_name(raw)):
        name = None  # «para mi hijo, a nombre de Felipe»: Felipe is not the customer
    return name, for_other, for_name


def _with_questions(
    text: str, whole: Understanding, vocabulary: ShopVocabulary, today: date
) -> Understanding:
    """A message that asks about the shop and also asks for a turno ("¿cuánto sale la barba? y
    dame turno para corte el jueves") read sentence by sentence: the questions with what each
    is about, the rest as the request (the barba's price; a corte on Thursday)."""
    sentences = _sentences(text)
    if len(sentences) < 2:
        return whole
    long = len(text) > LONG
    read = [(sentence, _read(sentence, vocabulary, today)) for sentence, _ in sentences]
    asks = [
        u.question is not None
        and u.question.topic in TOPICS
        and (asked or not long or u.question.topic in _NAMED_TOPICS)
        for (_, u), (_, asked) in zip(read, sentences, strict=True)
    ]
    questions = [u.question for (_, u), a in zip(read, asks, strict=True) if a and u.question]
    if not questions:
        return whole
    rest = ". ".join(s for (s, _), a in zip(read, asks, strict=True) if not a)
    books = asks_for_a_turno(words(text))
    flat = [each for q in questions for each in (replace(q, more=()), *q.more)]
    first = replace(flat[0], books=books, more=tuple(flat[1:]))
    if not rest.strip():
        main = whole
    elif len(rest) > LONG:  # a long story around the question: its end says what is wanted
        main = _latest(rest, vocabulary, today)
    else:
        main = _read(rest, vocabulary, today)
    return replace(main, question=first)


# In a long message a sentence told without a question mark asks about the shop only when it
# names what it asks in so many words (a price, the address): «Tincho es un crack con la barba»
# or «atienden muy bien» tell a story, they ask nobody who does a beard or when the shop opens.
_NAMED_TOPICS = frozenset({Topic.WHERE, Topic.CONTACT, Topic.PAYMENT, Topic.PRICE})


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The sentences of a message, each with whether it is asked («¿...?», «...?»)."""
    found: list[tuple[str, bool]] = []
    start, opened = 0, False
    for end in _SENTENCE_END.finditer(text):
        sentence = text[start : end.start()]
        if sentence.strip():
            found.append((sentence, opened or end.group() == "?"))
            opened = False
        if end.group() == "¿":
            opened = True
        start = end.end()
    if text[start:].strip():
        found.append((text[start:], opened))
    return found


# The emojis that stand for a service (normalize reads ✂️ and 💈 as corte, 🧔 as barba).
_SERVICE_EMOJI = re.compile("[\u2702\U0001f488\U0001f9d4]")


def _emoji_second(raw: str, vocabulary: ShopVocabulary) -> str:
    """The message without its service emojis when its words name another service ("clases de
    barbería ✂️, ¿cuánto sale?" asks about the class); kept when the words and the emoji make
    one service together ("✂️ y barba": corte + barba)."""
    if not _SERVICE_EMOJI.search(raw):
        return raw
    protected = shop_words(vocabulary)
    plain = _SERVICE_EMOJI.sub(" ", raw)
    worded = match_service(words(plain, protected), vocabulary.services)
    together = match_service(words(raw, protected), vocabulary.services)
    if worded is None or together is None or worded == together:
        return raw
    names = {entry.id: normalize(entry.name) for entry in vocabulary.services}
    return raw if names[worded] in names[together] else plain


def _read(
    raw: str, vocabulary: ShopVocabulary, today: date, with_name: bool = True
) -> Understanding:
    """One message or clause read; `with_name`: look for the person's name in it too."""
    raw = _emoji_second(raw, vocabulary)
    name = person_name(raw) if with_name else None
    for_other, for_name = False, None
    if with_name:
        name, for_other, for_name = _whose(raw, name)
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
    if first is not None and times.at is None and times.window is None:  # "mañana 16"
        times = replace(times, at=hour_after_day(scratch, vocabulary.opens, vocabulary.closes))
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
        said_when=first is not None
        or times.at is not None
        or times.window is not None
        or times.soonest,
    )
    if professional_id is None and Intent.RESCHEDULE in intents:
        professional_id = named_last(left, vocabulary.professionals)  # the move's new barber
    if name and re.search(rf"\bhabla {re.escape(normalize(name))}\b", normalize(raw)):
        intents = set(intents) - {Intent.HUMAN}  # "te habla Seba" introduces, asks for nobody
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
        another=another(" ".join(tokens)),
        adding=service_id is not None and adding(" ".join(tokens)),
        unknown_professional=(
            unknown_professional(left, protected) if professional_id is None else None
        ),
        soonest=times.soonest,
        shift=times.shift,
        same_time=times.same_time,
        then_at=times.then_at,
        pair=read_pair(raw, vocabulary),
        priced_service_id=priced[0] if priced is not None else None,
        question=question,
        for_other=for_other,
        for_name=for_name,
        under_name=under_name(raw) if with_name else None,
    )
