"""What can't be booked is named in the shop's terms, with what can: a barber the shop doesn't
have, a service that barber doesn't do, a time the shop is closed, a Sunday, a holiday.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Lu alone does Color; the shop is open
9 to 20; Tuesday 2026-12-08 is a national holiday.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import customer

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_barber_nobody_is_called_is_named_with_who_works_here(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con pablo el viernes")

    assert "No tenemos a nadie llamado Pablo: atienden Tincho, Facu y Lu." in chat.text
    assert chat.step == "professional"


async def test_a_barber_pointed_at_by_a_description_is_asked_for_by_name(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte mañana con el gordo")

    assert "No sé quién es el gordo: atienden Tincho, Facu y Lu." in chat.text


async def test_color_with_tincho_says_only_lu_does_it_and_goes_on_with_her(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("color con tincho el jueves")

    assert "algo salió mal" not in chat.text
    assert "Tincho no hace color: eso lo hace solo Lu." in chat.text
    assert chat.step == "time"
    assert chat.state["professional_id"] == 3


async def test_a_time_after_closing_names_the_last_turno(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con facu mañana a las 21")

    assert "Cerramos a las 20; el último turno de corte es a las 19:30." in chat.text
    assert chat.step == "time"


async def test_a_time_before_opening_says_when_the_shop_opens(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con lu mañana a las 8 de la mañana")

    assert "Abrimos a las 9." in chat.text
    assert "09:00" in chat.labels


async def test_a_sunday_is_named_before_asking_who(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte el domingo")

    assert "domingo 6 de diciembre" in chat.text
    assert chat.step == "day"
    await chat.tap("Sábado")
    assert chat.step == "professional"


async def test_a_holiday_is_named_before_asking_who(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte el 8")

    assert "feriado" in chat.text
    assert chat.step == "day"
