"""The owner's inbox, customers and payments in a real browser on a phone-sized window: a
customer's question answered into their chat, a customer found by phone, a reported transfer
confirmed, the payouts downloaded as CSV.

The app's clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop takes transfers.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import PHONE, Served, log_in
from tests.browser.customer_chat import CustomerChat

SHOP = "Barbería Don Julio (Palermo)"


async def a_customer(browser: Browser, url: str, chat_id: str, name: str) -> CustomerChat:
    """A customer's own phone, in the web chat, past the greeting."""
    context = await browser.new_context(viewport=PHONE, locale="es-AR", has_touch=True)
    chat = await CustomerChat.open(await context.new_page(), url, chat_id)
    await chat.say("hola")
    await chat.say(name)
    return chat


async def reports_a_transfer(chat: CustomerChat) -> None:
    """Book a Corte with Tincho on Wednesday at 16 paying by transfer, then «ya transferí»."""
    await chat.say("corte con Tincho el miércoles a las 16")
    await chat.tap("Transferencia")
    await chat.tap("Confirmar")
    await chat.say("ya te transferí")
    await chat.hears("Le aviso al local")


async def test_the_owner_answers_a_message_and_the_customer_reads_it_in_the_chat(
    phone: Page, browser: Browser, served: Served
) -> None:
    martina = await a_customer(browser, served.url, "martina", "Martina")
    await martina.tap("Hablar con alguien")
    await martina.say("¿Puedo ir con mi hijo de 5 años?")
    await martina.hears("se lo pasé al local")

    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/inbox")
    await expect(phone.locator(".tabs .badge")).to_have_text("1")
    await phone.get_by_text("¿Puedo ir con mi hijo de 5 años?").click()
    await expect(phone.get_by_role("heading", name="Martina")).to_be_visible()
    await expect(phone.locator(".tabs .badge")).to_have_count(0)  # opened: read
    await phone.get_by_label("Tu respuesta").fill("¡Claro! Traelo, no hay problema.")
    await phone.get_by_role("button", name="Enviar respuesta").click()
    await expect(phone.get_by_text("Enviado: le llega a su chat en un momento.")).to_be_visible()

    await martina.page.bring_to_front()
    reply = f"💬 {SHOP}: ¡Claro! Traelo, no hay problema."
    await martina.hears(reply)
    pushes = await martina.page.request.get(f"{served.url}/sandbox/chats/martina/pushes")
    assert [p["text"] for p in (await pushes.json())["pushes"]] == [reply]


async def test_the_owner_finds_a_customer_by_phone(phone: Page, served: Served) -> None:
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/customers")

    await phone.get_by_label("Nombre o teléfono").fill("11 5874-9895")
    await phone.get_by_role("button", name="Buscar").click()

    await expect(phone.get_by_role("link", name=re.compile("Juan Pérez"))).to_be_visible()
    await expect(phone.get_by_text("Nicolás Díaz")).to_have_count(0)
    await phone.get_by_role("link", name=re.compile("Juan Pérez")).click()
    await expect(phone.get_by_role("heading", name="Juan Pérez")).to_be_visible()
    await expect(phone.get_by_text("miércoles 2 de diciembre, 11:00")).to_be_visible()


async def test_the_owner_confirms_a_reported_transfer_and_the_customer_is_told(
    phone: Page, browser: Browser, served: Served
) -> None:
    ana = await a_customer(browser, served.url, "ana", "Ana")
    await reports_a_transfer(ana)

    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/payments")
    transfer = phone.locator(".transfer", has_text="Ana")
    await expect(transfer).to_contain_text("$\xa012.000,00")
    await expect(transfer).to_contain_text("Corte con Tincho")
    await transfer.get_by_role("button", name="Llegó").click()

    await expect(
        phone.get_by_text("Listo: el turno quedó confirmado y le avisamos al cliente.")
    ).to_be_visible()
    await expect(phone.locator(".transfer")).to_have_count(0)
    await ana.page.bring_to_front()
    await ana.hears("Pago recibido ($\xa012.000,00)")


async def test_the_owner_downloads_the_payouts_as_csv(
    phone: Page, browser: Browser, served: Served, tmp_path: Path
) -> None:
    ana = await a_customer(browser, served.url, "ana", "Ana")
    await reports_a_transfer(ana)
    await log_in(phone, served.url)
    await phone.goto(f"{served.url}/admin/payments")
    await phone.locator(".transfer", has_text="Ana").get_by_role("button", name="Llegó").click()
    await expect(phone.locator(".payout", has_text="Tincho")).to_contain_text("$\xa05.820,00")

    async with phone.expect_download() as download_info:
        await phone.get_by_role("link", name="Descargar CSV").click()
    download = await download_info.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)

    assert download.suggested_filename == "payouts-don-julio-2026-12-01-2026-12-01.csv"
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("professional_id,professional,currency,charged,refunded,net")
    assert lines[1:] == ["1,Tincho,ARS,12000.00,0.00,12000.00,360.00,5820.00,5820.00"]
