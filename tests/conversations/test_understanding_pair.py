"""Unit tests of reading two people's turnos in one message, and a price asked with a booking."""

from __future__ import annotations

from datetime import time

import pytest

from conversations.understanding import understand
from conversations.understanding.pair import answered_name
from tests.conversations.corpus import BARBA, COMBO, CORTE, LU, TINCHO, TODAY, VOCABULARY


def pair_of(text: str):  # type: ignore[no-untyped-def]
    return understand(text, VOCABULARY, TODAY).pair


@pytest.mark.parametrize(
    "text",
    [
        "quiero turno para mí y mi hermano mañana",
        "somos dos, queremos cortarnos el viernes",
        "necesito 2 cortes, yo y un amigo",
        "un corte para mi y otro para mi hijo el sábado",
        "dos turnos el jueves con Tincho",
    ],
)
def test_two_turnos_are_asked_for(text: str) -> None:
    said = pair_of(text)
    assert said is not None
    assert said.asked


@pytest.mark.parametrize(
    "text",
    [
        "quería turno para mi hijo de 8 años el miércoles",
        "corte mañana a las 17 con tincho",
        "yo a las 10 puedo",
    ],
)
def test_one_turno_is_not_two(text: str) -> None:
    assert pair_of(text) is None


def test_side_by_side_or_back_to_back() -> None:
    assert pair_of("somos dos, a la vez, con cualquiera").together is True  # type: ignore[union-attr]
    after = pair_of("corte para mi y para un amigo con facu, uno atrás del otro")
    assert after is not None
    assert after.together is False
    assert pair_of("para mí y mi hermano, mañana a las 16").together is None  # type: ignore[union-attr]


def test_uno_atras_del_otro_is_not_going_back() -> None:
    understood = understand("para mi y un amigo, uno atrás del otro", VOCABULARY, TODAY)
    assert "back" not in understood.intents


def test_each_one_says_their_own_time() -> None:
    said = pair_of("yo a las 10 y el nene a las 10:30")
    assert said is not None
    assert (said.own_at, said.at) == (time(10), time(10, 30))
    assert said.together is False


def test_one_time_said_once_is_for_both() -> None:
    said = pair_of("corte para mi y para un amigo el jueves a las 17 con facu")
    assert said is not None
    assert (said.own_at, said.at, said.own_professional_id, said.professional_id) == (
        None,
        None,
        None,
        None,
    )


def test_two_barbers_named_go_side_by_side() -> None:
    said = pair_of("para mi y mi hermano, corte los dos. yo con lu y mi hermano con tincho")
    assert said is not None
    assert (said.own_professional_id, said.professional_id) == (LU, TINCHO)
    assert said.together is True


def test_each_one_their_own_service() -> None:
    said = pair_of("corte y barba para mí y, a continuación, un corte para mi hijo")
    assert said is not None
    assert (said.own_service_id, said.service_id) == (COMBO, CORTE)
    same = pair_of("un corte para mi y otro para mi hijo")
    assert same is not None
    assert (same.own_service_id, same.service_id) == (CORTE, None)


def test_the_second_name_when_given() -> None:
    said = pair_of("turno para mi y mi hermano Tomas, corte los dos")
    assert said is not None
    assert said.name == "Tomas"
    assert pair_of("un corte para mi y otro para mi hijo de 8").name is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "name"),
    [("Bauti", "Bauti"), ("mi amigo Lautaro", "Lautaro"), ("se llama Benja", "Benja")],
)
def test_the_second_name_when_asked(text: str, name: str) -> None:
    assert answered_name(text) == name


def test_con_los_que_esten_is_anyone() -> None:
    understood = understand("2 cortes el viernes, con los que estén", VOCABULARY, TODAY)
    assert understood.any_professional


def test_a_price_asked_with_a_booking_keeps_the_booked_service() -> None:
    understood = understand(
        "cuanto sale la barba? y dame turno para corte con tincho el jueves", VOCABULARY, TODAY
    )
    asked = understood.question.service_id if understood.question else understood.priced_service_id
    assert (asked, understood.service_id) == (BARBA, CORTE)
    assert understood.professional_id == TINCHO


def test_a_price_of_the_service_booked() -> None:
    understood = understand("quiero un corte para mañana a las 5, cuánto sale?", VOCABULARY, TODAY)
    assert understood.service_id == CORTE
    assert understood.priced_service_id is None
    assert understood.first_day is not None


def test_one_turno_for_someone_else_is_no_second_turno() -> None:

    for text, name in (
        ("quería sacar turno para mi hijo Felipe", "Felipe"),
        ("es para mi hijo, se llama Felipe", "Felipe"),
        ("corte para mi viejo", None),
    ):
        understood = understand(text, VOCABULARY, TODAY)
        assert (understood.for_other, understood.for_name) == (True, name), text
        assert understood.pair is None, text
        assert understood.name is None, text


def test_two_friends_each_at_their_time() -> None:

    understood = understand(
        "queremos sacar turno con un amigo, corte los dos con Tincho el sábado, uno a las 11 y "
        "el otro 11:30. yo soy Pablo y mi amigo Nico",
        VOCABULARY,
        TODAY,
    )
    assert understood.name == "Pablo"
    assert understood.pair is not None
    assert understood.pair.asked
    assert (understood.pair.own_at, understood.pair.at) == (time(11), time(11, 30))
    assert understood.pair.name == "Nico"
