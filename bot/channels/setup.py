"""Which channels run, from the settings: a channel without credentials is simply off."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.settings import Settings
from domain.ports import Clock
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)


async def start_channels(
    settings: Settings, uow_factory: UnitOfWorkFactory, clock: Clock
) -> dict[str, Any]:
    """The configured messaging channels, started (an unreachable API is logged, not fatal).

    The sandbox is one too when it is on: what the bot pushes to a sandbox chat goes through
    the outbox like any message, and the page reads it from there.
    """
    channels: dict[str, Any] = {}
    if settings.telegram_enabled:
        from bot.channels.telegram import TelegramChannel

        telegram = TelegramChannel(settings)
        await telegram.start()
        channels[telegram.name] = telegram
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp import WhatsAppChannel

        whatsapp = WhatsAppChannel(settings, uow_factory, clock)
        await whatsapp.start()
        channels[whatsapp.name] = whatsapp
    if settings.sandbox:
        from bot.channels.sandbox import SandboxChannel

        sandbox = SandboxChannel()
        await sandbox.start()
        channels[sandbox.name] = sandbox
    return channels


def start_polling(
    settings: Settings, channels: dict[str, Any], runtime: Any
) -> asyncio.Task[None] | None:
    """Development mode: Telegram updates fetched by polling instead of the webhook."""
    telegram = channels.get("telegram")
    if not settings.telegram_polling or telegram is None:
        return None

    async def accept(data: dict[str, Any]) -> None:
        inbound = telegram.parse(data)
        if inbound is not None:
            await runtime.accept(inbound)

    return asyncio.create_task(telegram.poll(accept), name="telegram-polling")
