"""Questions about the shop read from free text: the topic and what it is about, and the
booking messages that must not be taken for questions."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.state import Asked, State, Step
from conversations.understanding import CatalogEntry, Focus, Question, Topic, understand
from conversations.understanding.questions import combined_service
from tests.conversations.corpus import (
    BARBA,
    COLOR,
    COMBO,
    CORTE,
    FACU,
    LU,
    TODAY,
    VOCABULARY,
)

TOMORROW = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)
SUNDAY = date(2026, 12, 6)


def asked(text: str) -> Question | None:
    return understand(text, VOCABULARY, TODAY).question


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("¿dónde están?", Topic.WHERE),
        ("hola, donde queda la barberia?", Topic.WHERE),
        ("cual es la direccion exacta?", Topic.WHERE),
        ("me pasás el teléfono?", Topic.CONTACT),
        ("horarios?", Topic.HOURS),
        ("¿qué horario tienen?", Topic.HOURS),
        ("¿trabajan los feriados?", Topic.HOURS),
        ("¿cómo se paga?", Topic.PAYMENT),
        ("¿qué servicios tienen?", Topic.PRICE),
        ("¿quiénes atienden?", Topic.STAFF),
        ("¿mañana están?", Topic.HOURS),
    ],
)
def test_a_question_about_the_shop_is_read_with_its_topic(text: str, topic: Topic) -> None:
    question = asked(text)
    assert question is not None
    assert question.topic == topic


def test_opening_on_a_day_is_about_that_day() -> None:
    assert asked("che abren los domingos?") == Question(Topic.HOURS, day=SUNDAY)


def test_until_what_time_asks_for_the_closing_time() -> None:
    question = asked("y el sabado hasta q hora?")
    assert question is not None
    assert (question.topic, question.day, question.focus) == (Topic.HOURS, SATURDAY, Focus.END)


def test_when_a_professional_starts_is_their_schedule() -> None:
    question = asked("buenas, mañana a q hora entra facu?")
    assert question is not None
    assert (question.topic, question.professional_id) == (Topic.SCHEDULE, FACU)
    assert (question.day, question.focus) == (TOMORROW, Focus.START)


@pytest.mark.parametrize("text", ["q dias esta lu?", "¿Lu trabaja el sábado?", "¿está Lu hoy?"])
def test_which_days_someone_works_is_their_schedule(text: str) -> None:
    question = asked(text)
    assert question is not None
    assert (question.topic, question.professional_id) == (Topic.SCHEDULE, LU)


def test_who_does_a_service_names_the_service() -> None:
    assert asked("hola quien hace color?") == Question(Topic.WHO_DOES, service_id=COLOR)


def test_whether_someone_does_a_service_names_both() -> None:
    question = asked("¿Lu hace barba?")
    assert question is not None
    assert (question.topic, question.service_id, question.professional_id) == (
        Topic.WHO_DOES,
        BARBA,
        LU,
    )


def test_a_payment_question_names_the_method_asked_about() -> None:
    question = asked("¿aceptan tarjeta?")
    assert question is not None
    assert (question.topic, question.payment_method) == (Topic.PAYMENT, "mercadopago")


def test_a_question_that_also_asks_for_a_turno_says_so_and_the_rest_is_the_request() -> None:
    understood = understand("¿abren el sábado? quiero un corte", VOCABULARY, TODAY)
    question = understood.question
    assert question is not None
    assert (question.topic, question.day, question.books) == (Topic.HOURS, SATURDAY, True)
    assert (understood.service_id, understood.first_day) == (CORTE, None)


def test_each_question_of_a_message_is_about_its_own_subject() -> None:
    text = "hola, soy Ale. cuanto sale la barba? y dame turno para corte con tincho el jueves 17hs"
    understood = understand(text, VOCABULARY, TODAY)
    question = understood.question
    assert question is not None
    assert (question.topic, question.service_id) == (Topic.PRICE, BARBA)
    assert (understood.service_id, understood.name) == (CORTE, "Ale")


def test_several_questions_in_one_message_are_all_read() -> None:
    question = asked("cuánto sale el corte con barba? y si aceptan transferencia, mejor")
    assert question is not None
    assert (question.topic, question.service_id) == (Topic.PRICE, COMBO)
    assert [q.topic for q in question.more] == [Topic.PAYMENT]


def test_and_with_a_service_is_a_follow_up_that_adds_it() -> None:
    question = asked("¿y con barba?")
    assert question is not None
    assert (question.topic, question.service_id, question.adds) == (Topic.FOLLOW_UP, BARBA, True)


def test_and_with_a_name_is_a_follow_up_about_someone_else() -> None:
    question = asked("y Facu?")
    assert question is not None
    assert (question.topic, question.professional_id) == (Topic.FOLLOW_UP, FACU)


@pytest.mark.parametrize(
    "text",
    [
        "tenés algo mañana a la tarde con tincho?",
        "corte mañana a las 10",
        "quiero turno con Facu el viernes",
        "¿hay lugar el sábado?",
        "el sábado está bien",
        "¿Lu está libre el jueves?",
        "¿me atienden mañana a las 10?",
        "ese horario me sirve",
        "¿qué horarios tenés mañana?",
        "¿qué días tenés?",
        "me hacen la barba mañana?",
        "la semana que viene con Tincho",
        "quiero cortarme con tincho que viene el sábado",
        "con barba",
        "hola! soy Diego",
        "efectivo",
    ],
)
def test_a_booking_message_is_no_question(text: str) -> None:
    assert asked(text) is None


def test_a_service_plus_another_is_the_service_that_has_both() -> None:
    services = VOCABULARY.services
    corte = next(s for s in services if s.id == CORTE)
    barba = next(s for s in services if s.id == BARBA)
    assert combined_service(corte, barba, services) == COMBO
    assert combined_service(corte, CatalogEntry(99, "Masaje"), services) is None


def test_the_last_answer_remembered_survives_the_state_round_trip() -> None:
    state = State(step=Step.MENU, asked=Asked("schedule", None, FACU, TOMORROW))
    assert State.from_json(state.to_json()) == state
