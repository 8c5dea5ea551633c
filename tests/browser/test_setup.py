"""Setting the shop up from a phone, in a real browser: a new price reaches the chat, a new
service, a barber's hours with a break, the payment settings closed to a professional, and a
new CBU that asks for the password and tells the owner's linked chat.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; in the demo shop Tincho works Tuesday
to Saturday 10-19, not on Mondays.
"""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from domain.accounts import Role
from domain.storage.channels import use_link_code
from domain.storage.uow import UnitOfWorkFactory
from tests.browser.conftest import PASSWORD, Served, log_in, login_for
from tests.helpers import FixedClock
from tests.web.chat import customer

CVU = "0000003100000000123459"


async def test_the_owner_changes_a_price_and_the_chat_quotes_the_new_one(
    phone: Page, served: Served
) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/setup")
    await phone.get_by_role("link", name=re.compile("Servicios y precios")).click()
    await phone.get_by_role("link", name=re.compile(r"^Corte 30 minutos")).click()

    await phone.get_by_label("Precio").fill("15.500")
    await phone.get_by_role("button", name="Guardar", exact=True).click()

    await expect(phone.get_by_text("Guardado.")).to_be_visible()
    await expect(phone.get_by_role("link", name=re.compile(r"^Corte 30 minutos"))).to_contain_text(
        "$ 15.500"
    )
    async with httpx.AsyncClient(base_url=served.url) as web:
        chat = await customer(web, "juan", "Juan")
        await chat.say("quiero un corte con tincho el miércoles a las 10")
        if chat.step == "payment":
            await chat.tap("Efectivo")
        assert chat.step == "confirm", chat.text
        assert "Precio: $\xa015.500" in chat.text  # babel puts a no-break space after $
        await chat.tap("Confirmar")
        assert "te reservé el turno" in chat.text


async def test_the_owner_adds_a_service(phone: Page, served: Served) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/setup/services")

    await phone.get_by_role("link", name="+ Agregar").click()
    await phone.get_by_label("Nombre").fill("Diseño de cejas")
    await phone.get_by_label("Precio").fill("5.000")
    await phone.get_by_label("Duración en minutos").fill("20")
    for barber in ("Tincho", "Facu"):
        await phone.get_by_label(barber, exact=True).uncheck()
    await phone.get_by_role("button", name="Agregar servicio").click()

    await expect(phone.get_by_text("Agregado.")).to_be_visible()
    added = phone.get_by_role("link", name=re.compile("^Diseño de cejas"))
    await expect(added).to_contain_text("20 minutos · Lu")
    await expect(added).to_contain_text("$ 5.000")


async def test_the_owner_sets_a_barbers_hours_with_a_break(phone: Page, served: Served) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/setup/professionals")
    await phone.get_by_role("link", name="Horarios").first.click()  # Tincho's
    await expect(phone.get_by_role("heading", name="Horarios de Tincho")).to_be_visible()
    monday = phone.locator("#day-0")
    await expect(monday).to_contain_text("Libre")

    await monday.get_by_label("Lunes, desde").fill("10:00")
    await monday.get_by_label("Lunes, hasta").fill("13:00")
    await monday.get_by_role("button", name="+ otro horario").click()
    await monday.get_by_label("Lunes, desde").nth(1).fill("15:00")
    await monday.get_by_label("Lunes, hasta").nth(1).fill("19:00")
    await phone.get_by_role("button", name="Guardar horarios").click()

    await expect(phone.get_by_text("Guardado.")).to_be_visible()
    await phone.reload()
    starts = phone.locator("#day-0").get_by_label("Lunes, desde")
    ends = phone.locator("#day-0").get_by_label("Lunes, hasta")
    await expect(starts).to_have_count(2)
    await expect(starts.nth(0)).to_have_value("10:00")
    await expect(ends.nth(0)).to_have_value("13:00")
    await expect(starts.nth(1)).to_have_value("15:00")
    await expect(ends.nth(1)).to_have_value("19:00")
    await expect(phone.locator("#day-0")).not_to_contain_text("Libre")


async def test_a_professional_cannot_open_the_payment_settings(
    phone: Page, served: Served, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await login_for(uow_factory, clock, "tincho@donjulio.test", Role.PROFESSIONAL, 1)
    await log_in(phone, served.url, "tincho@donjulio.test")

    answer = await phone.goto(f"{served.url}/admin/setup/payments")

    assert answer is not None
    assert answer.status == 403
    await expect(phone.get_by_role("heading", name="No es para tu cuenta")).to_be_visible()


async def test_a_new_cbu_asks_for_the_password_and_tells_the_owners_chat(
    phone: Page, served: Served, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/setup/links")
    await phone.get_by_role(
        "button", name="Generar un código de vinculación para Vos, el dueño"
    ).click()
    code = (await phone.get_by_label("El código").inner_text()).replace(" ", "")
    # The owner sends the code from their chat (the sandbox chat links as Telegram's would).
    assert await use_link_code(uow_factory, code, "sandbox", "dueno-chat", clock.now())

    await phone.goto(f"{served.url}/admin/setup/payments")
    await phone.get_by_label("CBU o CVU").fill(CVU)
    await phone.get_by_label("Tu contraseña, para confirmar").fill("no-es-esta")
    await phone.get_by_role("button", name="Cambiar a dónde llega la plata").click()

    await expect(phone.get_by_text("Esa no es tu contraseña. No se cambió nada.")).to_be_visible()
    await expect(phone.get_by_label("CBU o CVU")).to_have_value(CVU)  # kept as typed
    await phone.get_by_label("Tu contraseña, para confirmar").fill(PASSWORD)
    await phone.get_by_role("button", name="Cambiar a dónde llega la plata").click()

    await expect(phone.get_by_text("Le avisamos del cambio a tu chat vinculado.")).to_be_visible()
    await expect(phone.get_by_label("CBU o CVU")).to_have_value(CVU)
    async with httpx.AsyncClient(base_url=served.url) as web:
        told = (await web.get("/sandbox/chats/dueno-chat/pushes")).json()["pushes"]
    assert len(told) == 1
    assert "cambió la cuenta de cobro: el CBU/CVU …3459" in told[0]["text"]
    assert CVU not in told[0]["text"]  # a notification shows the last 4 only
