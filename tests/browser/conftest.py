"""A real browser on the real app: Playwright driving Debian's Chromium (`apt-get install
chromium`; nothing is downloaded) against the app served by uvicorn on a free port.

The app runs in its own thread with its own event loop, on the test's database and clock (the
fixed Tuesday 2026-12-01 09:00 in Buenos Aires), the sandbox on, and its loops running. Without
Chromium the browser tests skip locally and fail under CI.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.demo import seed_demo
from bot.passwords import hash_password
from bot.settings import Settings
from domain.accounts import Role
from domain.storage.accounts import create_user
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import on_ci
from tests.helpers import FixedClock
from web.app import create_app

CHROMIUM = os.environ.get("BARBERPRO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = os.path.exists(CHROMIUM)
# What a headless Chromium needs on a closed machine (no sandbox as root, no calls home).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every `expect` waits for its event; this caps the wait. Playwright's 5 s default was too short
# for a machine as loaded as the suite under CPU load makes it (a page's answer took longer).
expect.set_options(timeout=15_000)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "tijera-y-peine-2026"
OWNER = "dueno@donjulio.test"


@dataclass(frozen=True)
class Served:
    """The app being served, and where."""

    app: FastAPI
    url: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn in a thread of its own until the block ends."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # the server says when it listens
        assert thread.is_alive(), "the app stopped before it started"
        assert time.monotonic() < deadline, "the app did not start within 30 s"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
async def served(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> AsyncIterator[Served]:
    """The demo shop, its owner's login, and the app serving them."""
    await seed_demo(uow_factory, clock)
    await login_for(uow_factory, clock, OWNER, Role.OWNER)
    settings = Settings(database_url=database_url, sandbox=True, _env_file=None)  # type: ignore[call-arg]
    app = create_app(settings, clock)
    with serving(app) as url:
        yield Served(app, url)


async def login_for(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    email: str,
    role: Role,
    professional_id: int | None = None,
    shop_id: int | None = 1,
) -> None:
    """A dashboard login with PASSWORD (the demo shop is shop 1)."""
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    shop = None if role is Role.OPERATOR else shop_id
    await create_user(uow_factory, email, hashed, role, shop, clock.now(), professional_id)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, headless."""
    if not HAS_CHROMIUM:
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Page]:
    """A page the size of a phone, in Argentine Spanish."""
    context = await browser.new_context(viewport=PHONE, locale="es-AR", has_touch=True)
    page = await context.new_page()
    yield page
    await context.close()


async def log_in(page: Page, url: str, email: str = OWNER, password: str = PASSWORD) -> None:
    """Fill the login form and wait for the dashboard."""
    await page.goto(f"{url}/admin/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Contraseña").fill(password)
    await page.get_by_role("button", name="Entrar").click()
    await page.wait_for_url(lambda address: "/admin/login" not in address)
