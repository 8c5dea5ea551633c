"""English and emoji: the language of a message, English read as the Spanish the chat knows,
and a conversation that speaks the customer's language (remembered in its state)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR as LOCALES
from bot.i18n import translations
from conversations.commands import ReminderDue
from conversations.context import BookingView, Context, Gettext, Ngettext
from conversations.state import State, Step
from conversations.understanding import Intent, Understanding, understand
from conversations.understanding.language import detect_language
from tests.conversations.corpus import BARBA, COMBO, CORTE, TINCHO, TODAY, VOCABULARY
from tests.conversations.driver import EngineChat, context

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def read(text: str) -> Understanding:
    return understand(text, VOCABULARY, TODAY)


def d(day: int) -> date:
    return date(2026, 12, day)


# -- which language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "hi, can I get a haircut tomorrow at 5?",
        "I'd like to book an appointment",
        "yes please",
        "haircut and beard",
        "cancel my appointment",
        "I'm John",
        "what time do you open on saturday?",
    ],
)
def test_english_is_told_by_its_everyday_words(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize(
    "text",
    ["hola, quiero un turno para mañana", "sí, dale", "corte con Tincho", "no puedo el viernes"],
)
def test_spanish_is_told_by_its_everyday_words(text: str) -> None:
    assert detect_language(text) == "es"


@pytest.mark.parametrize(
    "text", ["ok", "hola", "hello", "thanks", "gracias", "John", "Tincho", "👍", "✂️", "3", ""]
)
def test_a_single_ambiguous_word_a_name_or_an_emoji_says_no_language(text: str) -> None:
    assert detect_language(text) is None


# -- English read as Spanish -------------------------------------------------------------------


def test_an_english_request_reads_like_the_spanish_one() -> None:
    english = read("hi, can I get a haircut tomorrow at 5?")
    spanish = read("hola, ¿me podés hacer un corte mañana a las 5?")

    assert Intent.BOOK in english.intents
    assert (english.service_id, english.first_day, english.at) == (CORTE, d(2), time(17))
    assert (english.service_id, english.first_day, english.at) == (
        spanish.service_id,
        spanish.first_day,
        spanish.at,
    )


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("anyone", "any_professional", True),
        ("whoever", "any_professional", True),
        ("anyone is fine", "any_professional", True),
        ("with Tincho", "professional_id", TINCHO),
        ("beard", "service_id", BARBA),
        ("haircut and beard", "service_id", COMBO),
        ("cash", "payment_method", "cash"),
        ("bank transfer", "payment_method", "transfer"),
        ("by card", "payment_method", "mercadopago"),
        ("I'll pay at the shop", "payment_method", "cash"),
        ("3pm tomorrow", "at", time(15)),
        ("3pm tomorrow", "first_day", d(2)),
        ("tomorrow afternoon", "window", (time(13), time(20))),
        ("tomorrow afternoon", "first_day", d(2)),
        ("friday at 11", "at", time(11)),
        ("friday at 11", "first_day", d(4)),
        ("next monday", "first_day", d(7)),
        ("on the 15th at 10:30", "first_day", d(15)),
        ("december 15th in the morning", "window", (time(9), time(12))),
        ("between 3 and 5 on saturday", "window", (time(15), time(17))),
        ("after 4pm", "window", (time(16), time(20))),
        ("this afternoon", "first_day", d(1)),
        ("I'm John", "name", "John"),
        ("my name is John Smith", "name", "John Smith"),
        ("John", "name", "John"),
        ("the second one", "number", 2),
    ],
)
def test_english_answers_are_understood(text: str, field: str, expected: object) -> None:
    assert getattr(read(text), field) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("yes", Intent.YES),
        ("yep", Intent.YES),
        ("sure", Intent.YES),
        ("yes, confirm", Intent.YES),
        ("no thanks", Intent.NO),
        ("my bookings", Intent.MY_BOOKINGS),
        ("cancel my appointment", Intent.CANCEL),
        ("reschedule", Intent.RESCHEDULE),
        ("can I move my appointment to friday?", Intent.RESCHEDULE),
        ("how much is a haircut?", Intent.PRICES),
        ("the usual please", Intent.REPEAT),
        ("is there anything free this afternoon?", Intent.BOOK),
    ],
)
def test_english_intents_are_understood(text: str, intent: Intent) -> None:
    assert intent in read(text).intents


@pytest.mark.parametrize("text", ["yes", "yep", "sure", "anyone", "tomorrow", "cash", "please"])
def test_english_words_are_nobodys_name(text: str) -> None:
    assert read(text).name is None


def test_spanish_reads_as_before_next_to_english_words() -> None:
    """Words both languages share ("a", "me", "no") keep their Spanish sense."""
    understood = read("no me sirve a las 5")
    assert Intent.NO in understood.intents
    assert understood.at == time(17)


# -- emoji ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "service"),
    [("✂️", CORTE), ("💈 mañana", CORTE), ("🧔", BARBA), ("💈🧔 sábado a las 11", COMBO)],
)
def test_scissors_and_the_barber_pole_are_a_haircut_the_bearded_face_a_beard(
    text: str, service: int
) -> None:
    assert read(text).service_id == service


@pytest.mark.parametrize("text", ["👍", "👌", "✅", "👍👍"])
def test_a_thumb_up_is_a_yes(text: str) -> None:
    assert Intent.YES in read(text).intents


# -- the state remembers the language -----------------------------------------------------------


def test_the_language_round_trips_through_json_and_an_old_state_still_loads() -> None:
    state = State(step=Step.MENU, language="en")
    assert State.from_json(state.to_json()) == state

    old = state.to_json()
    del old["language"]
    assert State.from_json(old) == State(step=Step.MENU)
    assert State.from_json({**state.to_json(), "language": 3}).language is None


# -- the conversation speaks it -----------------------------------------------------------------


def _catalog(locale: str) -> tuple[Gettext, Ngettext]:
    found = translations(locale)
    return found.gettext, found.ngettext


def shop_context(**changes: object) -> Context:
    """The demo-like shop, speaking es_AR, able to speak English to whoever writes it."""
    es = translations("es_AR")
    return context(
        gettext=es.gettext, ngettext=es.ngettext, locale="es_AR", translations=_catalog, **changes
    )


def test_a_customer_who_writes_english_is_answered_in_english_and_it_sticks() -> None:
    chat = EngineChat(ctx=shop_context())
    chat.send("hi, can I get a haircut tomorrow at 5?")
    assert chat.state.language == "en"
    assert "Who with?" in chat.text

    chat.send("Tincho")  # a name says no language: still English
    assert chat.state.language == "en"
    assert "How will you pay?" in chat.text
    assert "Wednesday, December 2, 17:00" in chat.text

    chat.send("ok")
    assert chat.state.language == "en"


def test_a_customer_who_switches_to_spanish_is_answered_in_spanish() -> None:
    chat = EngineChat(ctx=shop_context())
    chat.send("hello, I'd like a haircut")
    assert chat.state.language == "en"

    chat.send("perdón, mejor en castellano: quiero un corte para mañana")
    assert chat.state.language == "es"
    assert "¿Con quién" in chat.text


def test_a_shop_that_cannot_translate_speaks_its_own_language() -> None:
    """Without the other catalogs (no runtime to load them), the shop's own words."""
    es = translations("es_AR")
    chat = EngineChat(ctx=context(gettext=es.gettext, ngettext=es.ngettext, locale="es_AR"))
    chat.send("hi, can I get a haircut tomorrow at 5?")
    assert "¿Con quién" in chat.text


def test_the_reminder_speaks_the_language_the_customer_wrote_in() -> None:
    turno = BookingView(41, 1, 1, datetime(2026, 12, 3, 20, 0, tzinfo=UTC), "confirmed", "cash")
    chat = EngineChat(ctx=shop_context(upcoming=(turno,)))
    chat.send("hello, what are my bookings?")
    chat.event(ReminderDue(turno.id))

    assert chat.state.step is Step.REMINDER
    assert "Thursday, December 3" in chat.text
    labels = [c.label for r in chat.replies for c in r.choices]
    assert labels == ["I'll be there", "Cancel the appointment", "Reschedule"]


@pytest.mark.parametrize("locale", ["en", "es_AR"])
def test_every_translation_keeps_the_placeholders_of_its_text(locale: str) -> None:
    """A «{turno}» spelt «{appointment}» in a catalog breaks the chat for that language."""
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    broken = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(_PLACEHOLDER.findall(text) for text in ids))
        needed = _PLACEHOLDER.findall(ids[-1]) if len(ids) > 1 else allowed
        for text in strings:
            found = set(_PLACEHOLDER.findall(text))
            if text and not (found <= allowed and (len(ids) > 1 or found >= set(needed))):
                broken.append((ids[0], text))
    assert broken == []
