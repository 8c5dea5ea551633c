"""The owner's activity page on a phone: a change made through the API shows who made it and
what it was before and after, the owner's own login too, and nothing spills off the screen."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from tests.browser.conftest import Served, log_in
from tests.helpers import FixedClock, shop_key


async def test_the_owner_reads_who_changed_a_service_on_a_phone(
    phone: Page, served: Served, engine: AsyncEngine, clock: FixedClock
) -> None:
    # The test's own engine: the app's lives on the server thread's event loop.
    key = await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN, name="agenda web")
    async with httpx.AsyncClient(base_url=served.url) as api:
        changed = await api.patch(
            "/api/v1/shops/don-julio/services/1",
            headers={"Authorization": f"Bearer {key}"},
            json={"duration_minutes": 45},
        )
        assert changed.status_code == 200, changed.text

    await log_in(phone, served.url)
    await phone.get_by_role("link", name="Actividad").click()

    await expect(phone.get_by_role("heading", name="Actividad")).to_be_visible()
    entry = phone.locator(".audit > li").filter(has_text="Servicio modificado")
    await expect(entry).to_contain_text("agenda web, por la API")
    await expect(entry.locator(".changes")).to_contain_text("Minutos")
    await expect(entry.locator(".changes .new")).to_have_text("45")
    await expect(phone.locator(".audit > li").filter(has_text="Entró al panel")).to_contain_text(
        "dueno@donjulio.test, desde el panel"
    )
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
