"""Reading changes of mind ("otro día", "más temprano", "y barba también") and barbers the
shop doesn't have ("con Pablo", "con el gordo")."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.understanding import Understanding, understand
from tests.conversations.corpus import VOCABULARY

TODAY = date(2026, 12, 1)


def read(text: str) -> Understanding:
    return understand(text, VOCABULARY, TODAY)


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("otro día", "day"),
        ("mejor otra fecha", "day"),
        ("otro horario", "time"),
        ("a otra hora", "time"),
        ("con otro", "professional"),
        ("otro barbero", "professional"),
        ("corte mañana", None),
    ],
)
def test_another_names_the_part_to_choose_again(text: str, part: str | None) -> None:
    assert read(text).another == part


@pytest.mark.parametrize(
    ("text", "shift"),
    [("más temprano", -1), ("un poco antes", -1), ("un poco más tarde", 1), ("a las 5", 0)],
)
def test_earlier_and_later_are_relative_shifts(text: str, shift: int) -> None:
    assert read(text).shift == shift


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("corte con pablo mañana", "pablo"),
        ("con el gordo", "el gordo"),
        ("corte con juanca", "juanca"),
        ("con tincho", None),
        ("con mi hijo", None),
        ("con tarjeta", None),
        ("corte con barba", None),
        ("con la que esté", None),
        ("el jueves a las 16 con ella, corte", None),
    ],
)
def test_a_barber_the_shop_does_not_have_is_kept_to_be_named(text: str, who: str | None) -> None:
    assert read(text).unknown_professional == who


def test_a_service_said_with_also_is_added_to_the_chosen_one() -> None:
    said = read("ah y barba tambien, me hacés las dos cosas?")

    assert said.adding
    assert said.at is None  # "las dos cosas" is no time


def test_a_service_said_alone_replaces_the_chosen_one() -> None:
    assert not read("mejor barba").adding


def test_keep_it_on_saturday_is_not_leaving() -> None:
    said = read("no no, perdón, dejalo el sábado. a las 11 mejor")

    assert said.first_day == date(2026, 12, 5)
    assert "quit" not in said.intents


def test_many_thanks_names_no_service() -> None:
    assert read("Sí, confirmo. Muchas gracias.").service_id is None
