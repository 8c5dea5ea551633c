"""The agenda in a real browser on a phone: today's turnos, a walk-in booked by hand, a turno
cancelled with the policy shown and one marked done, a chat booking that appears on its own,
and a professional who sees only their column."""

from __future__ import annotations

import re

import httpx
from playwright.async_api import Page, expect

from domain.accounts import Role
from domain.storage.uow import UnitOfWorkFactory
from tests.browser.conftest import PASSWORD, Served, log_in, login_for
from tests.helpers import FixedClock
from tests.web.agenda_support import FACU, TINCHO, at, book
from tests.web.chat import customer, taps

WAIT = 30_000  # ms: the agenda asks for news every 10 s


async def test_the_owner_opens_todays_agenda_with_the_demos_turnos(
    phone: Page, served: Served, clock: FixedClock
) -> None:
    clock.advance(days=1)  # Wednesday: the demo's first turno (Juan Pérez, 11:00) is today

    await log_in(phone, served.url)

    assert phone.url.endswith("/admin/agenda")
    await expect(phone.get_by_role("heading", name="Miércoles 2 de diciembre")).to_be_visible()
    grid = phone.locator("table.day-grid")
    await expect(grid.get_by_role("columnheader")).to_have_text(["Hora", "Tincho", "Facu", "Lu"])
    juan = grid.get_by_role("link", name=re.compile("11:00 Juan Pérez Corte"))
    await expect(juan).to_be_visible()
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the page fits the phone; only the table scrolls sideways
    await phone.get_by_role("link", name="Semana").click()
    await expect(phone.get_by_text("Nicolás Díaz")).to_be_visible()
    await expect(phone.get_by_text("Santiago López")).to_be_visible()


async def test_the_owner_books_a_walk_in_and_sees_it_on_the_agenda(
    phone: Page, served: Served
) -> None:
    await log_in(phone, served.url)

    await phone.get_by_role("link", name="+ Nuevo turno").click()
    # htmx listens from the page's load on: a change before it would never swap (seen under load)
    await phone.wait_for_url(re.compile("/admin/agenda/book"), wait_until="load")
    await phone.get_by_role("combobox", name=re.compile("^Con")).select_option(label="Tincho")
    await expect(phone.locator('#pick input[name="pro"]')).to_have_value(str(TINCHO))
    await phone.get_by_label("Nombre del cliente").fill("Marcos Vidal")
    await phone.get_by_label("10:30", exact=True).check()
    await phone.get_by_role("button", name="Reservar").click()

    await expect(
        phone.get_by_text("Listo, reservaste: Marcos Vidal, 10:30 con Tincho.")
    ).to_be_visible()
    turno = phone.locator("table.day-grid").get_by_role("link", name=re.compile("Marcos Vidal"))
    await expect(turno).to_be_visible()
    await turno.click()
    await expect(phone.get_by_text("A mano, en la agenda")).to_be_visible()


async def test_the_owner_cancels_a_turno_with_the_policy_in_sight(
    phone: Page, served: Served, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    await log_in(phone, served.url)

    await phone.get_by_role("link", name=re.compile("Ana Gómez")).click()
    await expect(
        phone.get_by_text("Cancelar no tiene costo hasta 3 horas antes del turno (1/12 08:00).")
    ).to_be_visible()
    await expect(phone.get_by_text(re.compile("Ese plazo ya pasó"))).to_be_visible()
    await phone.get_by_role("button", name="Cancelar el turno").click()

    await expect(phone.get_by_text("Listo, cancelaste el turno.")).to_be_visible()
    await expect(phone.get_by_text("Cancelado", exact=True)).to_be_visible()
    await phone.get_by_role("link", name="‹ Volver a la agenda").click()
    await expect(phone.get_by_text("0 turnos")).to_be_visible()
    await phone.get_by_role("link", name="Ver cancelados").click()
    cancelled = phone.get_by_role("link", name=re.compile("Ana Gómez"))
    await expect(cancelled).to_have_css("text-decoration-line", "line-through")


async def test_the_owner_marks_a_turno_done_once_it_started_and_notes_the_cash(
    phone: Page, served: Served, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await book(uow_factory, clock, at(10), TINCHO, "Ana Gómez")
    clock.advance(minutes=65)  # 10:05: the turno has started

    await log_in(phone, served.url)
    await phone.get_by_role("link", name=re.compile("Ana Gómez")).click()
    await phone.get_by_role("button", name="✓ Marcar hecho").click()

    await expect(phone.get_by_text("Listo, quedó marcado como hecho.")).to_be_visible()
    await expect(phone.get_by_text("Hecho", exact=True)).to_be_visible()
    await phone.get_by_role("button", name=re.compile("Me pagó .* en efectivo")).click()
    await expect(phone.get_by_text("Listo, anotaste el cobro en efectivo.")).to_be_visible()
    await expect(phone.get_by_text(re.compile("Efectivo: .*, recibido"))).to_be_visible()


async def test_a_turno_booked_in_the_chat_appears_on_the_open_agenda_without_a_reload(
    phone: Page, served: Served
) -> None:
    await log_in(phone, served.url)
    await expect(phone.get_by_text("0 turnos")).to_be_visible()
    await phone.evaluate("window.sameVisit = true")

    async with httpx.AsyncClient(base_url=served.url) as client:
        chat = await customer(client, "lucia-chat", "Lucía Paz")
        await chat.say("corte con Tincho hoy a las 16")
        await taps(chat, "Efectivo", "Confirmar")

    turno = phone.get_by_role("link", name=re.compile("16:00 Lucía Paz"))
    await expect(turno).to_be_visible(timeout=WAIT)
    await expect(phone.get_by_text("1 turno", exact=True)).to_be_visible()
    assert await phone.evaluate("window.sameVisit === true")  # the page was never reloaded


async def test_a_professional_sees_only_their_column_and_not_anothers(
    phone: Page, served: Served, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await login_for(uow_factory, clock, "tincho@donjulio.test", Role.PROFESSIONAL, TINCHO)
    await book(uow_factory, clock, at(11), TINCHO, "Ana Gómez")
    facus = await book(uow_factory, clock, at(12, 30), FACU, "Bruno Díaz", "11 4000-2222")

    await log_in(phone, served.url, "tincho@donjulio.test", PASSWORD)

    grid = phone.locator("table.day-grid")
    await expect(grid.get_by_role("columnheader")).to_have_text(["Hora", "Tincho"])
    await expect(grid.get_by_role("link", name=re.compile("Ana Gómez"))).to_be_visible()
    await expect(phone.get_by_text("Bruno Díaz")).to_have_count(0)
    await expect(phone.get_by_role("link", name="Facu")).to_have_count(0)
    await phone.goto(f"{served.url}/admin/agenda?pro={FACU}")
    await expect(phone.get_by_text("Tu rol en el local no abre esta página.")).to_be_visible()
    await phone.goto(f"{served.url}/admin/agenda/turnos/{facus.id}")
    await expect(phone.get_by_role("heading", name="No encontramos el turno")).to_be_visible()
