"""Names: which messages give one, and how the engine asks for it and takes it."""

from __future__ import annotations

import pytest

from conversations.commands import BookSlot, SaveName
from conversations.state import Step
from conversations.understanding import Intent, introduced_name
from tests.conversations.driver import EngineChat, context
from tests.conversations.test_understanding import read


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hola! Diego", "Diego"),
        ("Hola, Diego", "Diego"),
        ("Seba acá", "Seba"),
        ("acá Seba", "Seba"),
        ("Mauro.", "Mauro"),
        ("buenas, Diego acá", "Diego"),
        ("Hola buen día, Ramiro", "Ramiro"),
        ("hola, buen día! Diego por acá", "Diego"),
        ("Diego de nuevo", "Diego"),
        ("te habla Seba", "Seba"),
        ("hola que tal, soy Diego", "Diego"),
        ("a nombre de Diego", "Diego"),
        ("a nombre de Juan Pérez", "Juan Pérez"),
    ],
)
def test_names_in_greetings_and_short_introductions_are_read(text: str, name: str) -> None:
    understood = read(text)
    assert understood.name == name
    assert understood.intents <= {Intent.GREETING}


@pytest.mark.parametrize(
    "text",
    [
        "el que sea",
        "cualquiera",
        "ninguno",
        "dos",
        "tres",
        "asdfgh",
        "jkjkjk",
        "qwerty",
        "zxcvb",
        "sdfsdf",
        "ah entonces con tincho",
        "con Facu",
        "un corte",
        "?",
        "¿cómo?",
        "hola que tal",
        "buenas tardes",
    ],
)
def test_what_is_clearly_no_name_is_not_read_as_one(text: str) -> None:
    assert read(text).name is None


@pytest.mark.parametrize(
    ("text", "name"),
    [("soy Diego", "Diego"), ("Hola! Diego", "Diego"), ("Seba acá", "Seba"), ("Diego", None)],
)
def test_a_name_in_passing_is_one_introduced_or_greeted_with(text: str, name: str | None) -> None:
    assert introduced_name(text) == name


def new_customer() -> EngineChat:
    return EngineChat(ctx=context(customer_name=None))


def test_a_bare_hello_is_answered_with_the_name_question() -> None:
    chat = new_customer().send("hola")

    assert chat.state.step is Step.ASK_NAME
    assert "What's your name?" in chat.text


def test_a_question_first_is_answered_without_asking_the_name() -> None:
    chat = new_customer().send("cuánto sale la barba?")

    assert "$8,000" in chat.text or "8.000" in chat.text or "8,000" in chat.text
    assert chat.state.step is Step.MENU
    assert not any(isinstance(c, SaveName) for c in chat.runtime.commands)


@pytest.mark.parametrize("text", ["cuánto sale el corte?", "quiero turno", "mis turnos"])
def test_the_name_question_lets_other_messages_through(text: str) -> None:
    chat = new_customer().send("hola").send(text)

    assert chat.state.step is not Step.ASK_NAME
    assert "What's your name?" not in chat.text


def test_a_numbered_list_shown_before_the_name_is_answered_by_number() -> None:
    chat = new_customer().send("hola").send("quiero turno")
    assert chat.state.step is Step.SERVICE

    chat.send("2")

    assert chat.state.draft.service_id == 2
    assert chat.state.step is Step.PROFESSIONAL


def test_the_booking_name_is_asked_after_the_time_and_saved_before_booking() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")
    assert chat.state.step is Step.NAME

    chat.send("el que sea").send("dos")
    assert chat.state.step is Step.NAME
    chat.send("Martina").send("Cash").send("sí")

    commands = chat.runtime.commands
    saved = commands.index(SaveName("Martina"))
    booked = next(i for i, c in enumerate(commands) if isinstance(c, BookSlot))
    assert saved < booked


def test_a_change_of_day_at_the_booking_name_question_is_applied() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")

    chat.send("no, mejor el viernes")

    assert chat.state.draft.slot is not None
    assert chat.state.draft.slot.start.day == 4
    assert chat.state.step is Step.NAME


def test_a_price_question_at_the_booking_name_question_is_answered_then_the_name_asked() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")

    chat.send("cuánto sale?")

    assert chat.state.step is Step.NAME
    assert "Whose name shall I book it under?" in chat.text


def test_going_back_from_the_booking_name_question_shows_the_times() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")

    chat.send("volver")

    assert chat.state.step is Step.TIME


def test_a_name_given_in_passing_skips_the_name_question() -> None:
    chat = new_customer().send("corte con Tincho mañana")

    chat.send("a las 11, soy Diego")

    assert SaveName("Diego") in chat.runtime.commands
    assert chat.state.step is Step.PAYMENT


def test_a_known_customer_is_never_asked_the_name() -> None:
    chat = EngineChat().send("corte con Tincho mañana a las 11")

    assert chat.state.step is Step.PAYMENT


@pytest.mark.parametrize("text", ["2", "dos", "el 2", "la segunda", "opción 2"])
def test_a_number_picks_from_a_list_of_services_even_when_it_could_be_a_date(text: str) -> None:
    chat = new_customer().send("quiero turno")

    chat.send(text)

    assert chat.state.draft.service_id == 2
    assert chat.state.draft.first_day is None
    assert chat.state.step is Step.PROFESSIONAL


def test_greeting_a_barber_by_name_is_no_name_but_asks_for_the_barber() -> None:
    understood = read("hola Tincho")

    assert understood.name is None
    assert understood.professional_id == 1


def test_a_name_sharing_a_word_with_a_barber_asks_for_no_barber() -> None:
    chat = new_customer().send("hola").send("Ángeles Ruiz")  # Facu is Facundo Ruiz

    assert SaveName("Ángeles Ruiz") in chat.runtime.commands
    assert chat.state.step is Step.MENU


def test_the_name_and_the_payment_in_one_answer_are_both_taken() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")

    chat.send("a nombre de Diego, en efectivo")

    assert SaveName("Diego") in chat.runtime.commands
    assert chat.state.step is Step.CONFIRM


def test_the_name_question_says_what_it_is_booking() -> None:
    chat = new_customer().send("corte con Tincho mañana a las 11")

    assert "Corte with Tincho" in chat.text or "Corte con Tincho" in chat.text
    assert chat.text.endswith("Whose name shall I book it under?")


def test_a_question_mark_at_the_name_question_explains_who_asks() -> None:
    chat = new_customer().send("hola").send("?")

    assert chat.state.step is Step.ASK_NAME
    assert "I book turnos" in chat.text
    assert "What's your name?" in chat.text


def test_a_question_mark_at_a_booking_step_gets_a_hint_and_the_options_again() -> None:
    chat = new_customer().send("quiero turno").send("?")

    assert chat.state.step is Step.SERVICE
    assert "No worries" in chat.text
    assert "Sorry" not in chat.text


def test_a_first_name_alone_where_none_was_asked_is_taken_late() -> None:
    chat = new_customer().send("hola").send("precios")
    assert chat.state.step is Step.MENU

    chat.send("Gonza")

    assert SaveName("Gonza") in chat.runtime.commands
    assert chat.state.step is Step.MENU


def test_a_barbers_name_alone_at_a_booking_step_is_the_barber_not_a_name() -> None:
    chat = new_customer().send("quiero un corte")

    chat.send("Facu")

    assert not any(isinstance(c, SaveName) for c in chat.runtime.commands)
    assert chat.state.draft.professional_id == 2
