"""The pages under the Content-Security-Policy, in a real browser cut off from the internet:
the API docs (/docs, /redoc) render from our own files, and the dashboard, the sandbox chat and
the payment return page work with no CSP violation in the console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.async_api import ConsoleMessage, Page, Route, expect

from tests.browser.conftest import DESKTOP, Served, log_in

REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
# The docs parse a 1-1.5 MB script and lay out the whole API: slow on a busy 2-core machine.
RENDERING = 30_000


@dataclass
class Watch:
    """What the page tried behind our back: requests to other hosts, CSP complaints."""

    outside: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@pytest.fixture
async def watch(phone: Page, served: Served) -> Watch:
    """Abort every request not to the app's own host; keep the console's CSP errors."""
    seen = Watch()
    own = urlsplit(served.url).netloc

    async def only_ours(route: Route) -> None:
        address = route.request.url
        if urlsplit(address).netloc == own or address.startswith("data:"):
            await route.continue_()
        else:
            seen.outside.append(address)
            await route.abort()

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.refused.append(message.text)

    await phone.route("**/*", only_ours)
    phone.on("console", console)
    return seen


async def test_the_swagger_docs_list_the_api_operations_without_the_internet(
    phone: Page, served: Served, watch: Watch
) -> None:
    await phone.goto(f"{served.url}/docs")

    availability = "/api/v1/shops/{slug}/availability"
    await expect(phone.get_by_text(availability, exact=True)).to_be_visible(timeout=RENDERING)
    await phone.get_by_text(availability, exact=True).click()  # unfolds: the UI's script runs
    await expect(phone.get_by_role("button", name="Try it out")).to_be_visible()
    await phone.wait_for_load_state("networkidle")
    assert watch.outside == []
    assert watch.refused == []


async def test_redoc_renders_the_api_without_the_internet(
    phone: Page, served: Served, watch: Watch
) -> None:
    await phone.set_viewport_size(DESKTOP)  # the search box sits in the side menu
    await phone.goto(f"{served.url}/redoc")

    title = phone.get_by_role("heading", name=re.compile("^BarberPro"))
    await expect(title).to_be_visible(timeout=RENDERING)
    await expect(phone.get_by_text("/api/v1/shops/{slug}/availability").first).to_be_attached()
    await phone.get_by_placeholder("Search...").fill("availability")
    found = phone.get_by_role("menuitem", name=re.compile("availability", re.I))
    await expect(found).to_be_visible(timeout=RENDERING)  # the worker indexes first
    await phone.wait_for_load_state("networkidle")
    assert watch.outside == []
    # The one refusal we want: ReDoc's menu shows Redocly's logo from their CDN.
    assert [text for text in watch.refused if REDOCLY_LOGO not in text] == []


async def test_the_dashboard_works_under_the_policy(
    phone: Page, served: Served, watch: Watch
) -> None:
    await log_in(phone, served.url)
    await expect(phone.get_by_role("heading", name="Martes 1 de diciembre")).to_be_visible()
    await phone.get_by_role("link", name="+ Nuevo turno").click()
    # htmx listens from the page's load on: a change before it would never swap (seen under load)
    await phone.wait_for_url(re.compile("/admin/agenda/book"), wait_until="load")
    await phone.get_by_role("combobox", name=re.compile("^Con")).select_option(label="Tincho")
    await expect(phone.locator('#pick input[name="pro"]')).to_have_value("1")  # htmx swapped
    await phone.goto(f"{served.url}/admin/setup")
    await phone.get_by_role("link", name=re.compile("Servicios y precios")).click()
    await expect(phone.get_by_role("link", name=re.compile(r"^Corte 30 minutos"))).to_be_visible()
    tabs = await phone.locator("nav.tabs a").evaluate_all("links => links.map(a => a.pathname)")
    for tab in tabs:  # every other section once (charts, forms, lists)
        await phone.goto(f"{served.url}{tab}")
        await phone.wait_for_load_state("networkidle")

    assert len(tabs) >= 5, tabs
    assert watch.outside == []
    assert watch.refused == []


async def test_the_sandbox_chat_and_the_payment_page_run_their_nonced_code(
    phone: Page, served: Served, watch: Watch
) -> None:
    await phone.goto(f"{served.url}/sandbox")
    await phone.get_by_label("Tu mensaje").fill("hola")
    await phone.get_by_role("button", name="Enviar").click()
    await expect(phone.get_by_text(re.compile("¿Cómo te llamás?")).first).to_be_visible()
    await phone.goto(f"{served.url}/pagos/success")
    await expect(phone.get_by_role("heading", name="¡Pago recibido!")).to_be_visible()

    width = await phone.evaluate("getComputedStyle(document.body).maxWidth")
    assert width == "512px"  # 32rem: the nonced <style> applied
    assert watch.outside == []
    assert watch.refused == []
