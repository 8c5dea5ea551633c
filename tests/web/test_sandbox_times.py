"""Relative and vague times in whole chats: "ya", "la primera que tengas", "más tarde",
"más temprano", "a la misma hora", "7 y pico", "después del laburo", a bare "17".

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho works Tue-Sat 10-19 (lunch 14-15),
Facu Mon-Fri 12-20 (break 16-16:30), Lu Wed-Sat 9-17. Turnos need 30 minutes' notice.
"""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import FixedClock
from tests.web.chat import bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def starts_of(client: httpx.AsyncClient, name: str) -> list[tuple[str, str]]:
    """Each of the customer's turnos as (status, start to the minute)."""
    return [(b["status"], b["start"][:16]) for b in await bookings_of(client, name)]


async def test_now_offers_the_first_free_time_today_and_a_yes_takes_it(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("tenés para un corte con facu ahora?")

    assert "Lo primero que tengo: hoy, martes 1 de diciembre, 12:00 con Facu." in chat.text
    assert chat.step == "time"
    await chat.say("dale")
    await taps(chat, "Efectivo", "Confirmar")
    assert await starts_of(client, "Ana") == [("confirmed", "2026-12-01T12:00")]


async def test_now_with_nobody_named_looks_at_everyone(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("tenés lugar ahora para un corte?")

    assert chat.step == "time"
    assert "Lo primero que tengo: hoy, martes 1 de diciembre, 10:00 con Tincho." in chat.text
    assert "10:00 · Tincho" in chat.labels


async def test_now_when_today_is_over_says_so_and_offers_the_next_day(
    sandbox: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    clock.advance(hours=9, minutes=50)  # 18:50: Tincho's last Corte started at 18:30

    await chat.say("corte con tincho ya")

    assert "Hoy (martes 1 de diciembre) ya no me queda nada libre." in chat.text
    assert "Lo primero que tengo: mañana, miércoles 2 de diciembre, 10:00 con Tincho." in chat.text


async def test_the_first_one_you_have_looks_past_today(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("la primera que tengas con lu para corte")

    assert "Lo primero que tengo: mañana, miércoles 2 de diciembre, 9:00 con Lu." in chat.text
    await chat.say("la de las 9 dale")
    await taps(chat, "Efectivo", "Confirmar")
    assert await starts_of(client, "Ana") == [("confirmed", "2026-12-02T09:00")]


async def test_first_thing_in_the_morning_is_that_barbers_first_time(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con facu mañana a primera hora")

    assert "Lo primero que tengo: mañana, miércoles 2 de diciembre, 12:00 con Facu." in chat.text


async def test_later_than_the_time_chosen_shows_the_times_after_it(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho mañana a las 10")
    assert chat.step == "payment"

    await chat.say("no, más tarde")

    assert chat.step == "time"
    assert chat.labels[0] == "10:15"
    assert "10:00" not in chat.labels


async def test_earlier_than_the_time_chosen_shows_the_closest_times_before_it(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con facu mañana a las 18")

    await chat.say("más temprano?")

    times = [label for label in chat.labels if label[:2].isdigit()]
    assert times[-1] == "17:45"
    assert "18:00" not in times


async def test_nothing_later_that_day_says_so_and_shows_the_last_times(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho el jueves a las 18:30")

    await chat.say("más tarde?")

    assert "Más tarde no tengo nada ese día." in chat.text
    assert "18:30" in chat.labels


async def test_moving_at_the_same_time_keeps_the_wall_time(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho el miércoles a las 17")
    await taps(chat, "Efectivo", "Confirmar")

    await chat.say("pasame el turno del miércoles al viernes a la misma hora")

    assert "Te paso el turno al viernes 4 de diciembre, 17:00 con Tincho. ¿Confirmo?" in chat.text
    await taps(chat, "Confirmar")
    assert "te pasé el turno al viernes 4 de diciembre, 17:00 con Tincho" in chat.text
    assert ("confirmed", "2026-12-04T17:00") in await starts_of(client, "Ana")


async def test_moving_later_the_same_day_starts_from_the_turno(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho el miércoles a las 10")
    await taps(chat, "Efectivo", "Confirmar")

    await chat.say("pasalo más tarde")

    assert "Horarios para Corte con Tincho, mañana, miércoles 2 de diciembre:" in chat.text
    assert chat.labels[0] == "10:30"


async def test_around_seven_is_seven_in_the_evening(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con facu el jueves tipo 7")

    assert "Jueves 3 de diciembre, 19:00" in chat.text


async def test_seven_and_something_offers_the_times_in_that_hour(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con facu el jueves 7 y pico")

    assert [label for label in chat.labels if label[:2].isdigit()] == ["19:00", "19:15", "19:30"]


async def test_after_work_is_from_six(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con facu el jueves después del laburo")

    assert chat.labels[0] == "18:00"


async def test_a_bare_hour_at_the_times_is_that_hour(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho el jueves")

    await chat.say("17")

    assert "Jueves 3 de diciembre, 17:00" in chat.text


async def test_a_time_said_with_the_payment_keeps_both(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("barba con facu el viernes a la noche")

    await chat.say("19:30 joya, efectivo")

    assert chat.step == "confirm"
    assert "Pago: Efectivo en el local" in chat.text


async def test_who_with_repeats_the_day_and_time_asked(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("mañana tipo 7 tenés para corte y barba?")

    assert "¿Con quién? (mañana, miércoles 2 de diciembre, a las 19:00)" in chat.text
