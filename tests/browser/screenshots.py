"""Screenshots of every dashboard page at phone (390 px) and desktop (1280 px) width, for a
person to look at as the owner would. Not a test; nothing here is committed but the script.

    python -m tests.browser.screenshots /tmp/shots

It seeds a fresh SQLite database with the demo shop (and its history), logs in as the owner,
and visits every section of the navigation plus the pages in EXTRA_PATHS.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Page, async_playwright

from bot.clock import OffsetClock
from bot.demo import seed_demo
from bot.settings import Settings
from domain.accounts import Role
from domain.storage.engine import make_engine
from domain.storage.migrate import upgrade
from domain.storage.uow import UnitOfWorkFactory
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    OWNER,
    PHONE,
    log_in,
    login_for,
    serving,
)
from web.app import create_app

START = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("America/Argentina/Buenos_Aires"))
# Pages the navigation does not link to directly (a detail, a form): add yours here.
EXTRA_PATHS: list[str] = [
    "/admin/agenda?day=2026-12-02",
    "/admin/agenda?view=week",
    "/admin/agenda/turnos/1",
    "/admin/agenda/turnos/1/move",
    "/admin/agenda/book",
    "/admin/agenda/block",
    "/admin/customers/1",
    "/admin/customers?q=juan",
    "/admin/numbers?period=week",
    *(
        f"/admin/setup/{page}"
        for page in (
            "profile",
            "services",
            "services/1",
            "services/new",
            "professionals",
            "professionals/1",
            "professionals/1/hours",
            "professionals/1/time-off",
            "days",
            "payments",
            "comeback",
            "links",
            "users",
        )
    ),
]


async def main(out: Path) -> None:
    url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/shots.db"
    await upgrade(url)
    clock = OffsetClock(START)
    engine = make_engine(url)
    uow_factory = UnitOfWorkFactory(engine)
    await seed_demo(uow_factory, clock, today=True)
    await login_for(uow_factory, clock, OWNER, Role.OWNER)  # type: ignore[arg-type]
    await engine.dispose()
    app = create_app(Settings(database_url=url, sandbox=True, _env_file=None), clock)  # type: ignore[call-arg]
    with serving(app) as base:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, viewport in (("390", PHONE), ("1280", DESKTOP)):
                context = await browser.new_context(viewport=viewport, locale="es-AR")
                page = await context.new_page()
                await log_in(page, base)
                for path in await _paths(page, base):
                    await page.goto(base + path)
                    await page.wait_for_load_state("networkidle")
                    file = out / f"{path.strip('/').replace('/', '_') or 'admin'}-{name}.png"
                    await page.screenshot(path=str(file), full_page=True)
                    print(file)
                await context.close()
            await browser.close()


async def _paths(page: Page, base: str) -> list[str]:
    await page.goto(f"{base}/admin/status")  # a page with the navigation on it
    links = await page.locator("nav.tabs a").evaluate_all("els => els.map(e => e.pathname)")
    return [*links, *EXTRA_PATHS]


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/barberpro-shots")
    folder.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(folder))
