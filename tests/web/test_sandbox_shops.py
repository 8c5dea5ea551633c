"""The sandbox talks to any shop (`?shop=`, or «/start shop_<slug>» as a deep link sends), and
what one shop knows of a person (the name given there) is never shown by another."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, platform_key
from tests.web.chat import Chat

pytestmark = pytest.mark.usefixtures("demo")


class ShopChat(Chat):
    """A sandbox chat that names its shop on every message, as the page with ?shop= does."""

    shop: str = ""

    async def _post(self, body: dict[str, str]) -> Chat:
        response = await self.client.post(
            f"/sandbox/chats/{self.chat_id}/messages", params={"shop": self.shop}, json=body
        )
        assert response.status_code == 200, response.text
        data = response.json()
        self.replies, self.state = data["replies"], data["state"]
        return self


async def test_a_chat_with_shop_talks_to_that_shop_and_books_there(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> None:
    await build_shop(uow_factory, slug="otra")
    chat = ShopChat(web, "vale")
    chat.shop = "otra"

    await chat.say("hola")
    assert "Otra" in chat.text
    assert chat.state["shop"] == "otra"
    await chat.say("Valentina")
    await chat.say("corte mañana a las 10")
    await chat.tap("Confirmar")  # the shop takes cash only (nothing else set up): not asked

    assert "Listo" in chat.text, chat.text
    operator = {"Authorization": f"Bearer {await platform_key(engine, clock.now())}"}
    booking = (await web.get("/api/v1/bookings/4", headers=operator)).json()
    assert booking["shop"] == "otra"
    assert booking["customer"]["name"] == "Valentina"


async def test_a_first_message_start_shop_slug_moves_the_chat_there(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory
) -> None:
    await build_shop(uow_factory, slug="otra")
    chat = Chat(web, "deep-link")

    await chat.say("/start shop_otra")
    greeting = chat.text
    await chat.say("Bruno")

    assert "Otra" in greeting
    assert chat.state["shop"] == "otra"  # later messages, without ?shop=, stay there


async def test_without_a_shop_a_chat_talks_to_the_demo_shop(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory
) -> None:
    await build_shop(uow_factory, slug="aaa-primera")  # first by name, yet not the default

    chat = await Chat(web, "plain").say("hola")

    assert chat.state["shop"] == "don-julio"
    assert "Don Julio" in chat.text


async def test_an_unknown_shop_is_a_clear_404_on_the_endpoint_and_the_page(
    web: httpx.AsyncClient,
) -> None:
    message = await web.post(
        "/sandbox/chats/x/messages", params={"shop": "nadie"}, json={"text": "hola"}
    )
    page = await web.get("/sandbox", params={"shop": "nadie"})
    known = await web.get("/sandbox", params={"shop": "don-julio"})

    assert message.status_code == 404
    assert message.json() == {"error": "not_found", "detail": "no shop called 'nadie'"}
    assert page.status_code == 404
    assert "nadie" in page.text
    assert known.status_code == 200


async def test_a_person_is_not_greeted_by_the_name_they_gave_another_shop(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory
) -> None:
    await build_shop(uow_factory, slug="otra")
    chat = await Chat(web, "martina").say("hola")
    await chat.say("Martina")
    assert chat.step == "menu"

    elsewhere = ShopChat(web, "martina")
    elsewhere.shop = "otra"
    await elsewhere.say("hola")

    assert "Martina" not in elsewhere.text
    assert elsewhere.step == "ask_name", elsewhere.text


async def test_a_booking_in_shop_b_shows_the_name_given_in_shop_b(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> None:
    """The same phone books in both shops under two names: each shop sees its own."""
    other = await build_shop(uow_factory, slug="otra")
    operator = {"Authorization": f"Bearer {await platform_key(engine, clock.now())}"}

    async def book(slug: str, name: str, start: str) -> dict[str, object]:
        body = {
            "service_id": 1 if slug == "don-julio" else other.services["Corte"],
            "start": start,
            "customer": {"name": name, "phone": "011 15 5874-9895"},
        }
        response = await web.post(f"/api/v1/shops/{slug}/bookings", json=body, headers=operator)
        assert response.status_code == 201, response.text
        return dict(response.json()["customer"])

    in_a = await book("don-julio", "Juan Pérez", "2026-12-02T16:00:00-03:00")
    in_b = await book("otra", "Juancito", "2026-12-03T11:00:00-03:00")
    again_in_a = await book("don-julio", "Otro Nombre", "2026-12-04T16:00:00-03:00")

    assert in_a["name"] == "Juan Pérez"
    assert in_b["name"] == "Juancito"
    assert again_in_a == in_a  # the shop keeps the name it was first given
    assert in_b["id"] != in_a["id"]  # each shop numbers its own customers
