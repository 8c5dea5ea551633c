"""The dashboard and the owner's own Telegram chat, with Telegram on (the fake server): the
owner makes a link code in the dashboard, opens its deep link (what scanning the QR code
does), and from then on hears in that chat of changes to where the money goes."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from domain.accounts import Role
from tests.channels.live import WHATSAPP_FROM, TelegramUser
from tests.fakes.telegram_api import BOT_USERNAME, FakeTelegram
from tests.helpers import FixedClock
from tests.web.admin import PASSWORD, admin, text_of

Live = tuple[FastAPI, httpx.AsyncClient]
CVU = "0000003100000000123459"


async def test_the_owner_links_their_telegram_from_the_qr_code_and_hears_of_a_new_cbu(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock
) -> None:
    app, client = live
    owner = await admin(client, app.state.uow_factory, clock, "dueno@x.test", Role.OWNER)

    shown = await owner.post("/admin/setup/links", {"professional": "owner"})

    deep_link = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=(link_\d{{6}})", shown.text)
    assert deep_link, text_of(shown)
    assert f"https://wa.me/{WHATSAPP_FROM.removeprefix('whatsapp:+')}?text=vincular" in shown.text
    assert re.search(r'<svg[^>]*class="segno"', shown.text)  # the QR code of the deep link
    assert f"<title>{deep_link[0]}</title>" in shown.text
    julio = TelegramUser(app, client, fake_telegram, chat_id=7001, first_name="Julio")
    (welcome, *_) = await julio.say(f"/start {deep_link[1]}")  # what opening the link sends
    assert welcome["text"].startswith("¡Listo, quedó vinculado!")

    changed = await owner.post(
        "/admin/setup/payments/destination",
        {
            "transfer_alias": "don.julio.cobros",
            "transfer_account": CVU,
            "cuit": "20-26756539-3",
            "password": PASSWORD,
        },
    )

    assert changed.headers["location"].endswith("notice=money_told")
    (notice,) = await julio.replies()
    assert "cambió la cuenta de cobro: el CBU/CVU …3459" in notice["text"]
    assert CVU not in notice["text"]  # a notification shows the last 4 only
