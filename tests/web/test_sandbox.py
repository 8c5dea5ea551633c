"""Transcripts through the sandbox endpoint: every flow, from "hola" to the booking."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.helpers import FixedClock
from tests.web.chat import Chat

pytestmark = pytest.mark.usefixtures("demo")

# The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho (id 1) works Tue-Sat 10-19.


async def named(sandbox: httpx.AsyncClient, chat_id: str = "juan") -> Chat:
    chat = Chat(sandbox, chat_id)
    await chat.say("hola")
    await chat.say("Juan")
    return chat


async def test_first_contact_asks_the_name_once_then_shows_the_menu(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "nuevo")

    await chat.say("hola")
    assert chat.step == "ask_name"
    await chat.say("Juan")

    assert chat.step == "menu"
    assert "Juan" in chat.text
    await chat.say("hola")
    assert chat.step == "menu"
    assert "Juan" in chat.text


async def test_booking_by_tapping_from_service_to_confirmation(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await named(sandbox)

    await chat.tap_first()  # book
    assert chat.step == "service"
    await chat.tap("Corte ·")
    assert chat.step == "professional"
    await chat.tap("Tincho")
    assert chat.step == "day"
    await chat.tap_first()
    assert chat.step == "time"
    await chat.tap_first()
    assert chat.step == "payment"
    await chat.tap_first()
    assert chat.step == "confirm"
    slot = chat.state["slot"]
    await chat.tap_first()

    assert chat.step == "menu"
    assert "te reservé el turno" in chat.text
    booking = await booking_of(client, "Juan")
    assert booking["start"] == _local_iso(slot)
    assert booking["status"] == "confirmed"


async def test_free_text_jumps_straight_to_the_matching_slots(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await named(sandbox)

    await chat.say("¿tenés algo mañana a la tarde para corte con Tincho?")

    assert chat.step == "time"
    assert chat.state["service_id"] == 1
    assert chat.state["professional_id"] == 1
    assert chat.state["day"] == "2026-12-02"
    assert all(label >= "13:00" for label in chat.labels if label[:2].isdigit())


async def test_someone_else_winning_the_slot_offers_the_nearest_ones(
    sandbox: httpx.AsyncClient,
) -> None:
    first, second = await named(sandbox, "juan"), await named(sandbox, "ana")
    for chat in (first, second):
        await chat.say("corte con Tincho mañana a las 16")
        assert chat.step in {"payment", "confirm"}, chat.text
        if chat.step == "payment":
            await chat.tap_first()

    await first.tap_first()
    await second.tap_first()

    assert first.step == "menu"
    assert second.step == "time"
    assert "16:00" not in second.labels


async def test_back_cancel_and_menu_work_at_any_step(sandbox: httpx.AsyncClient) -> None:
    chat = await named(sandbox)
    await chat.tap_first()
    await chat.tap("Corte ·")
    assert chat.step == "professional"

    await chat.say("volver")
    assert chat.step == "service"
    await chat.tap("Cancel")
    assert chat.step == "menu"
    await chat.tap_first()
    await chat.say("menú")
    assert chat.step == "menu"


async def test_garbage_and_stale_choices_get_a_friendly_reprompt(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await named(sandbox)
    await chat.tap_first()
    stale = chat.choices[0]["id"]
    await chat.tap("Corte ·")

    weird_inputs = ["", "🙃🙃🙃", "x" * 10_000, "'; DROP TABLE bookings; --", "<script>x</script>"]
    for weird in weird_inputs:
        await chat.say(weird)
        assert chat.step == "professional"
        assert chat.choices
    await chat.tap_id(stale)
    assert chat.step == "professional"
    await chat.tap_id("999.nope")
    assert chat.step == "professional"


async def test_an_idle_conversation_restarts_politely(
    sandbox: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await named(sandbox)
    await chat.tap_first()
    clock.advance(hours=5)

    await chat.tap_first()

    assert chat.step == "menu"


async def booking_of(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    """The REST API's view of the latest booking of a customer (the demo holds a few)."""
    found = []
    for booking_id in range(1, 20):
        response = await client.get(f"/api/v1/bookings/{booking_id}")
        if response.status_code == 200 and response.json()["customer"]["name"] == name:
            found.append(response.json())
    assert found, f"no booking for {name}"
    return found[-1]


def _local_iso(utc_iso: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return (
        datetime.fromisoformat(utc_iso)
        .astimezone(ZoneInfo("America/Argentina/Buenos_Aires"))
        .isoformat()
    )


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/sandbox/chats/juan/messages", {"text": 123}, 422),
        ("/sandbox/chats/juan/messages", {"text": "hola", "extra": 1}, 422),
        ("/sandbox/chats/juan/messages", [], 422),
        ("/sandbox/chats/juan/messages", {"text": "x" * 30_000}, 422),
        ("/sandbox/chats/a%20b/messages", {"text": "hola"}, 422),
        ("/sandbox/chats/" + "x" * 100 + "/messages", {"text": "hola"}, 422),
        ("/sandbox/chats/juan/messages", {}, 200),
        ("/sandbox/chats/juan/messages", {"choice": ""}, 200),
        ("/sandbox/chats/juan/messages", {"choice": "x" * 150}, 200),
    ],
)
async def test_bad_requests_to_the_sandbox_get_json_errors_not_500s(
    sandbox: httpx.AsyncClient, path: str, body: object, status: int
) -> None:
    response = await sandbox.post(path, json=body)

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("field", ["text", "choice"])
async def test_a_nul_character_in_a_message_is_a_422_naming_the_field(
    sandbox: httpx.AsyncClient, field: str
) -> None:
    """PostgreSQL text cannot hold NUL: refused before the chat sees it; the chat goes on."""
    chat = await named(sandbox)
    await chat.tap("Hablar con alguien")  # what is said next is stored for the shop, as sent

    response = await sandbox.post(
        "/sandbox/chats/juan/messages", json={field: "¿Hacen permanente?\u0000"}
    )

    assert response.status_code == 422, response.text
    assert [p["loc"] for p in response.json()["problems"]] == [["body", field]]
    await chat.say("¿Hacen permanente?")
    assert chat.step == "menu", chat.step


async def test_the_sandbox_page_and_the_bare_address_lead_to_the_chat(
    sandbox: httpx.AsyncClient,
) -> None:
    page = await sandbox.get("/sandbox")
    root = await sandbox.get("/")

    assert page.status_code == 200
    assert "/sandbox/chats/" in page.text
    assert root.headers["location"] == "/sandbox"


async def test_the_sandbox_is_off_unless_asked_for(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.post("/sandbox/chats/juan/messages", json={"text": "hola"})

    assert response.status_code == 404


async def test_a_message_for_the_shop_reaches_its_inbox(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await named(sandbox)
    await chat.tap("Hablar con alguien")

    await chat.say("¿Hacen permanente?")

    assert chat.step == "menu"
    inbox = (await client.get("/api/v1/shops/don-julio/messages")).json()
    assert [m["text"] for m in inbox] == ["¿Hacen permanente?"]
    assert inbox[0]["channel"] == "sandbox"
