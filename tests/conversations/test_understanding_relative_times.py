"""Relative and vague times: "ya", "la primera que tengas", "más tarde", "a la misma hora",
"7 y pico", "después del laburo" (the flow's use of them is in tests/web/test_sandbox_times.py)."""

from __future__ import annotations

from datetime import time

import pytest

from conversations.understanding import Intent, Understanding, understand
from tests.conversations.corpus import CORTE, TODAY, VOCABULARY


def read(text: str) -> Understanding:
    return understand(text, VOCABULARY, TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "tenés para un corte ahora?",
        "tenes lugar ahora para un corte?",
        "ahora mismo",
        "para ya",
        "corte ya",
        "che tincho puede ya? para un corte",
        "lo antes posible",
        "cuanto antes",
    ],
)
def test_now_asks_for_the_first_free_time_today(text: str) -> None:
    understood = read(text)

    assert understood.soonest
    assert (understood.first_day, understood.last_day) == (TODAY, TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "la primera que tengas",
        "la primera q tengas con facu",
        "el primer turno libre",
        "lo más pronto posible",
        "el próximo turno disponible",
    ],
)
def test_the_first_one_you_have_asks_for_the_first_free_time_any_day(text: str) -> None:
    understood = read(text)

    assert understood.soonest
    assert understood.first_day is None


def test_first_thing_in_the_morning_is_the_first_free_time_of_that_day() -> None:
    understood = read("mañana a primera hora")

    assert understood.soonest
    assert understood.window is None


@pytest.mark.parametrize(
    "text",
    [
        "por ahora nada",
        "ahora te confirmo",
        "ahora quiero un corte",
        "hasta ahora bien",
        "ya",
        "dale ya",
        "ya transferí",
        "mi turno ya está confirmado?",
        "es mi primer turno acá",
        "Desde ya, muchas gracias.",
        "desde ya",
    ],
)
def test_now_and_already_in_other_senses_are_no_time(text: str) -> None:
    understood = read(text)

    assert not understood.soonest
    assert understood.first_day is None


def test_now_leaves_the_service_word_before_it_to_the_catalog() -> None:
    assert read("necesito un corte ya").service_id == CORTE


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("más tarde", 1),
        ("no, más tarde", 1),
        ("algo un poco más tarde?", 1),
        ("más temprano?", -1),
        ("un toque más temprano", -1),
    ],
)
def test_later_and_earlier_shift_from_the_time_on_the_table(text: str, shift: int) -> None:
    understood = read(text)

    assert understood.shift == shift
    assert understood.window is None


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("más tarde que las 5", (time(17), time(20))),
        ("más temprano que las 11", (time(9), time(11))),
    ],
)
def test_later_than_a_time_is_a_window_not_a_shift(text: str, window: tuple[time, time]) -> None:
    understood = read(text)

    assert (understood.shift, understood.window) == (0, window)


def test_later_i_will_tell_you_is_no_time() -> None:
    assert read("más tarde te aviso").shift == 0


def test_the_same_time_is_read_apart_from_the_day() -> None:
    understood = read("pasame el turno del jueves al viernes a la misma hora")

    assert understood.same_time
    assert understood.at is None
    assert Intent.RESCHEDULE in understood.intents


@pytest.mark.parametrize(
    ("text", "at"),
    [("tipo 7", time(19)), ("a eso de las 7", time(19)), ("tipo 18", time(18))],
)
def test_around_an_hour_is_that_hour_in_the_shops_day(text: str, at: time) -> None:
    assert read(text).at == at


@pytest.mark.parametrize("text", ["7 y pico", "a las 7 y pico", "tipo 7 y algo"])
def test_some_minutes_past_an_hour_is_that_hour_as_a_window(text: str) -> None:
    understood = read(text)

    assert (understood.at, understood.window) == (None, (time(19), time(20)))


def test_seven_and_something_is_not_the_seventh_of_the_month() -> None:
    assert read("el jueves 7 y pico").first_day == TODAY.replace(day=3)


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("después del laburo", (time(18), time(20))),
        ("a la salida del trabajo", (time(18), time(20))),
        ("a la tardecita", (time(17), time(20))),
    ],
)
def test_parts_of_the_day_are_windows(text: str, window: tuple[time, time]) -> None:
    assert read(text).window == window


def test_noon_is_twelve() -> None:
    assert read("al mediodía").at == time(12)
