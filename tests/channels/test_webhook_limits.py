"""Signed webhooks from Telegram, Twilio and Mercado Pago are never rate limited, not even from
an address that already ran out of budget for forged ones; forged ones are, per address."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from bot.demo import seed_demo
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import inbound_statuses
from tests.channels.live import (
    PUBLIC_URL,
    SECRET,
    WHATSAPP_FROM,
    channel_settings,
    live_app,
    settle,
)
from tests.fakes.mercadopago_api import TEST_ACCESS_TOKEN, TEST_WEBHOOK_SECRET, FakeMercadoPago
from tests.fakes.telegram_api import FakeTelegram, text_update
from tests.fakes.twilio_api import FakeTwilio, inbound_form, sign
from tests.helpers import FixedClock

BURST = 300
FORGED_BUDGET = 3
CUSTOMER = "whatsapp:+5491155550123"
# Every budget as small as it goes: a signed webhook must pass them all untouched.
TINY = {
    "rate_limit_webhook_forged": f"{FORGED_BUDGET}/minute",
    "rate_limit_api_key": "1/minute",
    "rate_limit_api_address": "1/minute",
    "rate_limit_api_auth_failures": "1/minute",
    "rate_limit_sandbox_new_chats": "1/minute",
    "rate_limit_sandbox_chat": "1/minute",
}
_sids = itertools.count(1)


@pytest.fixture
def fake_mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
async def limited(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake_mp: FakeMercadoPago,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The demo shop's app with Telegram, WhatsApp and Mercado Pago on, every budget tiny."""
    await seed_demo(uow_factory, clock, history=False)
    settings = channel_settings(database_url, fake_telegram, fake_twilio).model_copy(
        update={
            "mercadopago_access_token": TEST_ACCESS_TOKEN,
            "mercadopago_webhook_secret": TEST_WEBHOOK_SECRET,
            "mercadopago_api_url": fake_mp.url,
            **TINY,
        }
    )
    async with live_app(settings, clock) as pair:
        yield pair
        await settle(pair[0])


def whatsapp_form(body: str) -> dict[str, str]:
    return inbound_form(f"SM{next(_sids):032x}", CUSTOMER, body, WHATSAPP_FROM, "Lucía")


async def forged_posts(client: httpx.AsyncClient, fake_mp: FakeMercadoPago) -> list[int]:
    """One forged post to each webhook, then more, until the address runs out of budget."""
    statuses = []
    for n in range(FORGED_BUDGET + 3):
        which = n % 3
        if which == 0:
            response = await client.post(
                "/webhooks/telegram",
                json=text_update(n + 1, 42, "hola"),
                headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
        elif which == 1:
            response = await client.post(
                "/webhooks/whatsapp",
                data=whatsapp_form("hola"),
                headers={"X-Twilio-Signature": "bm90LWEtc2lnbmF0dXJl"},
            )
        else:
            path, headers, body = fake_mp.notification(77, tamper=True)
            response = await client.post(path, json=body, headers=headers)
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.json()["error"] == "rate_limited"
            assert 1 <= int(response.headers["Retry-After"]) <= 60
    return statuses


async def test_forged_webhooks_are_limited_per_address_and_signed_ones_never(
    limited: tuple[FastAPI, httpx.AsyncClient],
    fake_mp: FakeMercadoPago,
    fake_twilio: FakeTwilio,
    clock: FixedClock,
    uow_factory: UnitOfWorkFactory,
) -> None:
    app, client = limited
    assert await forged_posts(client, fake_mp) == [403] * FORGED_BUDGET + [429] * 3

    telegram = await asyncio.gather(
        *(
            client.post(
                "/webhooks/telegram",
                json=text_update(90_000 + n, 4242, f"hola {n}", "Nacho"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            for n in range(BURST)
        )
    )
    url = f"{PUBLIC_URL}/webhooks/whatsapp"
    forms = [whatsapp_form(f"hola {n}") for n in range(BURST)]
    whatsapp = await asyncio.gather(
        *(
            client.post(
                "/webhooks/whatsapp",
                data=form,
                headers={"X-Twilio-Signature": sign(fake_twilio.auth_token, url, form)},
            )
            for form in forms
        )
    )
    ts = int(clock.now().timestamp())
    notifications = [fake_mp.notification(1_000 + n, ts=ts) for n in range(BURST)]
    mercadopago = await asyncio.gather(
        *(client.post(path, json=body, headers=headers) for path, headers, body in notifications)
    )

    assert [r.status_code for r in telegram] == [200] * BURST
    assert all(r.json() == {"ok": True, "duplicate": False} for r in telegram)
    assert [r.status_code for r in whatsapp] == [200] * BURST
    assert [r.status_code for r in mercadopago] == [200] * BURST
    assert all(r.json() == {"ok": True} for r in mercadopago)
    await settle(app)
    assert sum((await inbound_statuses(uow_factory, "4242")).values()) == BURST
    assert sum((await inbound_statuses(uow_factory, CUSTOMER)).values()) == BURST
