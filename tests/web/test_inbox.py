"""The shop's inbox through the REST API, end to end in the sandbox: a customer asks the chat
to pass a message on, the owner lists it unread, answers it, and the customer reads the answer
in their chat as the shop's words.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from domain.storage.tables import ShopMessageRow, ShopReplyRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.chat import Chat, customer, pushes, taps

pytestmark = pytest.mark.usefixtures("demo")

INBOX = "/api/v1/shops/don-julio/messages"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def owner(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's admin key."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN))


async def asks_for_someone(web: httpx.AsyncClient, chat_id: str, name: str, text: str) -> Chat:
    chat = await customer(web, chat_id, name)
    await taps(chat, "Hablar con alguien")
    await chat.say(text)
    assert "se lo pasé al local" in chat.text, chat.text
    return chat


async def inbox(web: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[Any]:
    found = await web.get(INBOX, params=params, headers=headers)
    assert found.status_code == 200, found.text
    return list(found.json())


async def test_the_owner_answers_by_rest_and_the_customer_reads_it_in_their_chat(
    web: httpx.AsyncClient, owner: dict[str, str], clock: FixedClock
) -> None:
    await asks_for_someone(web, "martina", "Martina", "¿Puedo ir con mi hijo de 5 años?")
    [unread] = await inbox(web, owner, unread="true")
    clock.advance(minutes=7)

    answered = await web.post(
        f"{INBOX}/{unread['id']}/reply", json={"text": " ¡Claro! Traelo. "}, headers=owner
    )

    assert unread["read"] is False
    assert unread["customer"]["name"] == "Martina"
    assert (unread["channel"], unread["chat_id"]) == ("sandbox", "martina")
    assert answered.status_code == 201, answered.text
    assert answered.json()["text"] == "¡Claro! Traelo."
    assert answered.json()["created_at"] == "2026-12-01T09:07:00-03:00"
    said = [p["text"] for p in await pushes(web, "martina")]
    assert said == ["💬 Barbería Don Julio (Palermo): ¡Claro! Traelo."]
    assert await inbox(web, owner, unread="true") == []
    [read] = await inbox(web, owner, unread="false")
    assert (read["read"], read["read_at"]) == (True, "2026-12-01T09:07:00-03:00")
    assert [r["text"] for r in read["replies"]] == ["¡Claro! Traelo."]
    assert await inbox(web, owner) == [read]


async def test_the_message_names_the_customer_by_this_shops_own_number(
    web: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await asks_for_someone(web, "martina", "Martina", "¿Hacen permanente?")

    [message] = await inbox(web, owner)
    page = await web.get(
        f"/api/v1/shops/don-julio/customers/{message['customer_id']}", headers=owner
    )

    assert message["customer"]["id"] == message["customer_id"]
    assert page.status_code == 200, page.text
    assert page.json()["name"] == "Martina"


async def test_marking_read_keeps_the_first_time(
    web: httpx.AsyncClient, owner: dict[str, str], clock: FixedClock
) -> None:
    await asks_for_someone(web, "martina", "Martina", "¿Hacen permanente?")
    [message] = await inbox(web, owner)

    first = await web.post(f"{INBOX}/{message['id']}/read", headers=owner)
    clock.advance(hours=1)
    again = await web.post(f"{INBOX}/{message['id']}/read", headers=owner)

    assert first.status_code == 200, first.text
    assert first.json()["read_at"] == "2026-12-01T09:00:00-03:00"
    assert again.json() == first.json()
    assert await pushes(web, "martina") == []  # reading says nothing to the customer


async def test_another_shops_message_is_404_to_read_and_to_answer(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    await asks_for_someone(web, "martina", "Martina", "¿Hacen permanente?")
    [message] = await inbox(web, owner)
    await build_shop(uow_factory, slug="otra")
    theirs = auth(await shop_key(engine, "otra", clock.now()))
    elsewhere = f"/api/v1/shops/otra/messages/{message['id']}"

    read = await web.post(f"{elsewhere}/read", headers=theirs)
    answered = await web.post(f"{elsewhere}/reply", json={"text": "Hola"}, headers=theirs)

    assert (read.status_code, answered.status_code) == (404, 404)
    assert (await inbox(web, owner))[0]["read"] is False
    assert await pushes(web, "martina") == []


async def test_a_message_from_a_channel_that_is_off_is_a_409_and_nothing_is_kept(
    app: FastAPI, web: httpx.AsyncClient, owner: dict[str, str], clock: FixedClock
) -> None:
    """The sandbox app runs no Telegram: a Telegram customer's message cannot be answered."""
    async with app.state.uow_factory() as uow:
        message_id = await uow.session.scalar(
            insert(ShopMessageRow)
            .values(
                shop_id=1, channel="telegram", chat_id="501", text="Hola", created_at=clock.now()
            )
            .returning(ShopMessageRow.id)
        )
        await uow.commit()

    refused = await web.post(f"{INBOX}/{message_id}/reply", json={"text": "Hola"}, headers=owner)

    assert refused.status_code == 409, refused.text
    assert refused.json()["error"] == "channel_unavailable"
    assert "telegram" in refused.json()["detail"]
    [message] = await inbox(web, owner)
    assert (message["read"], message["replies"], message["customer"]) == (False, [], None)
    async with app.state.uow_factory.read_only() as uow:
        assert (await uow.session.execute(select(ShopReplyRow))).all() == []


@pytest.mark.parametrize(
    "body",
    [{"text": "   "}, {"text": "x" * 1001}, {"text": "a\x00b"}, {"text": "Hola", "to": "x"}, {}],
    ids=["blank", "too long", "a NUL", "an unknown field", "no text"],
)
async def test_a_reply_that_cannot_be_sent_as_written_is_a_422_and_nothing_is_sent(
    web: httpx.AsyncClient, owner: dict[str, str], body: dict[str, str]
) -> None:
    await asks_for_someone(web, "martina", "Martina", "¿Hacen permanente?")
    [message] = await inbox(web, owner)

    refused = await web.post(f"{INBOX}/{message['id']}/reply", json=body, headers=owner)

    assert refused.status_code == 422, refused.text
    assert await pushes(web, "martina") == []
    assert (await inbox(web, owner))[0]["read"] is False
