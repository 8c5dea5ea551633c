"""Logging in and out in a real browser, on a phone-sized window."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import Served


async def test_the_owner_logs_in_sees_the_status_and_logs_out(phone: Page, served: Served) -> None:
    await phone.goto(f"{served.url}/admin/status")  # not logged in yet: the login comes first
    await expect(phone.get_by_role("heading", name="Entrá a tu local")).to_be_visible()

    await phone.get_by_label("Email").fill("dueno@donjulio.test")
    await phone.get_by_label("Contraseña").fill("tijera-y-peine-2026")
    await phone.get_by_role("button", name="Entrar").click()

    await expect(phone.get_by_role("heading", name="Estado")).to_be_visible()
    assert phone.url.endswith("/admin/status")  # back where they were going
    await expect(phone.get_by_text("Barbería Don Julio (Palermo)")).to_be_visible()
    await phone.get_by_text("dueno@donjulio.test").click()
    await phone.get_by_role("button", name="Salir", exact=True).click()
    await expect(phone.get_by_text("Saliste.")).to_be_visible()
    await phone.goto(f"{served.url}/admin/status")
    await expect(phone.get_by_role("heading", name="Entrá a tu local")).to_be_visible()


async def test_a_wrong_password_says_so_and_five_are_throttled(phone: Page, served: Served) -> None:
    for _ in range(5):
        await log_in_as(phone, served.url, "no-es-esta")
        await expect(phone.get_by_text("Email o contraseña incorrectos.")).to_be_visible()

    await log_in_as(phone, served.url, "tijera-y-peine-2026")  # the right one, too late

    await expect(
        phone.get_by_text("Demasiados intentos fallidos. Probá de nuevo en 15 minutos.")
    ).to_be_visible()


async def log_in_as(page: Page, url: str, password: str) -> None:
    await page.goto(f"{url}/admin/login")
    await page.get_by_label("Email").fill("dueno@donjulio.test")
    await page.get_by_label("Contraseña").fill(password)
    await page.get_by_role("button", name="Entrar").click()
