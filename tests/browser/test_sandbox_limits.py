"""The sandbox web chat when its chat's budget of messages is spent: a plain notice to wait."""

from __future__ import annotations

from playwright.async_api import Page, expect

from bot.demo import seed_demo
from bot.settings import Settings
from domain.storage.uow import UnitOfWorkFactory
from tests.browser.conftest import serving
from tests.browser.customer_chat import CustomerChat
from tests.helpers import FixedClock
from web.app import create_app


async def test_a_chat_past_its_budget_is_asked_to_wait(
    phone: Page, database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock, history=False)
    settings = Settings(  # type: ignore[call-arg]
        database_url=database_url, sandbox=True, rate_limit_sandbox_chat="2/minute", _env_file=None
    )
    with serving(create_app(settings, clock)) as url:
        chat = await CustomerChat.open(phone, url, "apurada")  # the page says «hola»: one
        await chat.say("Ana")  # two
        await expect(phone.get_by_text("¡Un gusto, Ana!")).to_be_visible()

        await chat.say("quiero un corte")

        await expect(
            phone.get_by_text("Vas muy rápido. Esperá un momento y probá de nuevo.")
        ).to_be_visible()
