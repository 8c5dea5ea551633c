"""The inbox page over HTTP: a customer's «hablar con alguien» listed unread, opened (read),
answered into their chat; a channel that is off, bad replies and forged posts change nothing.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, insert, select

from domain.accounts import Role
from domain.storage.tables import ShopMessageRow, ShopReplyRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop
from tests.web.admin import TINCHO, csrf_of, logged_in
from tests.web.chat import customer, pushes, taps

pytestmark = pytest.mark.usefixtures("demo")


async def a_question(web: httpx.AsyncClient, chat_id: str, name: str, text: str) -> None:
    chat = await customer(web, chat_id, name)
    await taps(chat, "Hablar con alguien")
    await chat.say(text)
    assert "se lo pasé al local" in chat.text, chat.text


async def only_message_id(app: FastAPI) -> int:
    async with app.state.uow_factory.read_only() as uow:
        return int(await uow.session.scalar(select(ShopMessageRow.id)) or 0)


async def replies_kept(app: FastAPI) -> int:
    async with app.state.uow_factory.read_only() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(ShopReplyRow)) or 0)


@pytest.fixture
async def owner(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> httpx.AsyncClient:
    await logged_in(web, uow_factory, clock, "dueno@x.test")
    return web


async def test_the_owner_opens_a_message_and_the_reply_reaches_the_customers_chat(
    app: FastAPI, owner: httpx.AsyncClient, clock: FixedClock
) -> None:
    await a_question(owner, "martina", "Martina", "¿Puedo ir con mi hijo de 5 años?")
    listed = await owner.get("/admin/inbox")
    message_id = await only_message_id(app)
    clock.advance(minutes=3)

    opened = await owner.get(f"/admin/inbox/{message_id}")
    after_reading = await owner.get("/admin/inbox")
    sent = await owner.post(
        f"/admin/inbox/{message_id}/reply",
        data={"csrf": csrf_of(opened), "text": " ¡Claro! Traelo. "},
    )
    thread = await owner.get(sent.headers["location"])

    assert listed.status_code == 200
    assert "Martina" in listed.text
    assert "¿Puedo ir con mi hijo de 5 años?" in listed.text
    assert "Sin leer" in listed.text
    assert 'class="badge"' in listed.text  # the tab's unread count
    assert opened.status_code == 200
    assert "Chat web" in opened.text
    assert "Sin leer" not in after_reading.text
    assert 'class="badge"' not in after_reading.text
    assert sent.status_code == 303
    assert "¡Claro! Traelo." in thread.text
    assert "Enviado" in thread.text
    said = [p["text"] for p in await pushes(owner, "martina")]
    assert said == ["💬 Barbería Don Julio (Palermo): ¡Claro! Traelo."]


async def test_a_reply_to_a_chat_on_a_channel_that_is_off_says_so_and_keeps_the_text(
    app: FastAPI, owner: httpx.AsyncClient, clock: FixedClock
) -> None:
    """The test app runs no WhatsApp: nothing is stored or queued, the draft stays."""
    async with app.state.uow_factory() as uow:
        message_id = await uow.session.scalar(
            insert(ShopMessageRow)
            .values(
                shop_id=1,
                channel="whatsapp",
                chat_id="+5491100000000",
                text="Hola",
                created_at=clock.now(),
            )
            .returning(ShopMessageRow.id)
        )
        await uow.commit()
    opened = await owner.get(f"/admin/inbox/{message_id}")

    refused = await owner.post(
        f"/admin/inbox/{message_id}/reply", data={"csrf": csrf_of(opened), "text": "Te espero"}
    )

    assert refused.status_code == 409
    assert "El canal WhatsApp no está andando" in refused.text
    assert ">Te espero</textarea>" in refused.text
    assert await replies_kept(app) == 0


@pytest.mark.parametrize("text", ["   ", "x" * 1001], ids=["blank", "too long"])
async def test_a_blank_or_too_long_reply_is_refused_with_the_reason(
    app: FastAPI, owner: httpx.AsyncClient, text: str
) -> None:
    await a_question(owner, "martina", "Martina", "¿Hacen permanente?")
    message_id = await only_message_id(app)
    opened = await owner.get(f"/admin/inbox/{message_id}")

    refused = await owner.post(
        f"/admin/inbox/{message_id}/reply", data={"csrf": csrf_of(opened), "text": text}
    )

    assert refused.status_code == 422
    assert 'class="error"' in refused.text
    assert await replies_kept(app) == 0
    assert await pushes(owner, "martina") == []


async def test_a_reply_without_its_csrf_token_is_refused_and_sends_nothing(
    app: FastAPI, owner: httpx.AsyncClient
) -> None:
    await a_question(owner, "martina", "Martina", "¿Hacen permanente?")
    message_id = await only_message_id(app)

    forged = await owner.post(
        f"/admin/inbox/{message_id}/reply", data={"csrf": "guessed", "text": "Hola"}
    )
    missing = await owner.post(f"/admin/inbox/{message_id}/reply", data={"text": "Hola"})

    assert (forged.status_code, missing.status_code) == (403, 403)
    assert await replies_kept(app) == 0
    assert await pushes(owner, "martina") == []


async def test_another_shops_message_and_an_unknown_one_are_not_found(
    app: FastAPI, owner: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    other = await build_shop(uow_factory, slug="otra")
    async with app.state.uow_factory() as uow:
        theirs = await uow.session.scalar(
            insert(ShopMessageRow)
            .values(
                shop_id=other.shop_id,
                channel="sandbox",
                chat_id="x",
                text="Hola",
                created_at=clock.now(),
            )
            .returning(ShopMessageRow.id)
        )
        await uow.commit()
    page = await owner.get("/admin/inbox")

    opened = await owner.get(f"/admin/inbox/{theirs}")
    answered = await owner.post(
        f"/admin/inbox/{theirs}/reply", data={"csrf": csrf_of(page), "text": "Hola"}
    )
    unknown = await owner.get("/admin/inbox/999")

    assert (opened.status_code, answered.status_code, unknown.status_code) == (404, 404, 404)
    assert "No está" in unknown.text
    assert await replies_kept(app) == 0
    async with app.state.uow_factory.read_only() as uow:
        assert await uow.session.scalar(select(ShopMessageRow.read_at)) is None


async def test_an_empty_inbox_says_where_messages_come_from(owner: httpx.AsyncClient) -> None:
    page = await owner.get("/admin/inbox")

    assert page.status_code == 200
    assert "Todavía no hay mensajes." in page.text


async def test_a_professional_cannot_open_the_inbox(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await logged_in(web, uow_factory, clock, "tincho@x.test", Role.PROFESSIONAL, TINCHO)

    assert (await web.get("/admin/inbox")).status_code == 403
    assert (await web.get("/admin/inbox/1")).status_code == 403


async def test_the_inbox_refreshing_itself_keeps_no_idle_session_alive(
    owner: httpx.AsyncClient, clock: FixedClock
) -> None:
    """The list polls every 20 s (htmx, marked X-Background): 30 idle minutes still end it."""
    page = await owner.get("/admin/inbox")
    assert 'hx-headers=\'{"X-Background": "1"}\'' in page.text
    refreshes = []
    for _ in range(31):
        clock.advance(minutes=1)
        polled = await owner.get(
            "/admin/inbox", headers={"HX-Request": "true", "X-Background": "1"}
        )
        refreshes.append(polled.status_code)

    assert refreshes[:29] == [200] * 29
    assert refreshes[-1] == 401  # htmx is sent to the login page
    assert (await owner.get("/admin/inbox")).status_code == 303
