"""A catalog change made through the REST API reaches the chat of the same process at once:
new and renamed services are understood (by their synonyms too) and bookable, archived ones
and archived professionals are no longer offered.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. In the demo shop Tincho (1) works
Tuesday to Saturday 10-19 and Lu (3) Wednesday to Saturday 9-17; Color (4) is Lu's alone.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import FixedClock, shop_key
from tests.web.chat import Chat, customer, taps
from tests.web.owner import Owner, auth

pytestmark = pytest.mark.usefixtures("demo")

TINCHO, LU = 1, 3
BARBA, COLOR = 2, 4


@pytest.fixture
async def owner(web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock) -> Owner:
    return Owner(web, "don-julio", auth(await shop_key(engine, "don-julio", clock.now())))


async def book_in_chat(chat: Chat, text: str) -> str:
    """Ask for a turno in one message, pay cash and confirm; what the chat asked to confirm."""
    await chat.say(text)
    if chat.step == "payment":
        await chat.tap("Efectivo")
    assert chat.step == "confirm", chat.text
    summary = chat.text
    await chat.tap("Confirmar")
    assert "te reservé el turno" in chat.text, chat.text
    return summary


async def booked_service(owner: Owner, name: str) -> tuple[int, str]:
    """The service and start of the one turno the customer called `name` has."""
    found = []
    for booking_id in range(1, 20):
        response = await owner.web.get(f"/api/v1/bookings/{booking_id}", headers=owner.headers)
        if response.status_code == 200 and response.json()["customer"]["name"] == name:
            found.append(response.json())
    assert len(found) == 1, found
    return found[0]["service_id"], found[0]["start"]


async def test_a_service_added_through_the_api_is_understood_by_its_synonyms_and_booked(
    owner: Owner, web: httpx.AsyncClient
) -> None:
    chat = await customer(web, "sofi", "Sofía")
    body = {
        "name": "Diseño de cejas",
        "duration_minutes": 20,
        "price": "5000.00",
        "professional_ids": [LU],
        "synonyms": ["depilación", "perfilado de cejas"],
    }
    cejas = await owner.made("POST", "/services", body, 201)

    summary = await book_in_chat(chat, "quiero una depilación el miércoles a las 10")

    assert "Diseño de cejas" in summary
    assert await booked_service(owner, "Sofía") == (cejas["id"], "2026-12-02T10:00:00-03:00")


async def test_a_service_renamed_through_the_api_is_understood_by_its_new_words_at_once(
    owner: Owner, web: httpx.AsyncClient
) -> None:
    chat = await customer(web, "juan", "Juan")
    await taps(chat, "Sacar turno")
    assert any(label.startswith("Barba ·") for label in chat.labels), chat.labels
    await chat.say("menú")

    await owner.made(
        "PATCH", f"/services/{BARBA}", {"name": "Afeitado a navaja", "synonyms": ["rapado"]}
    )
    await taps(chat, "Sacar turno")
    assert any(label.startswith("Afeitado a navaja ·") for label in chat.labels), chat.labels
    await chat.say("menú")
    summary = await book_in_chat(chat, "un rapado con Tincho el miércoles a las 16")

    assert "Afeitado a navaja" in summary

    assert await booked_service(owner, "Juan") == (BARBA, "2026-12-02T16:00:00-03:00")


async def test_archived_services_and_professionals_are_no_longer_offered_in_the_chat(
    owner: Owner, web: httpx.AsyncClient
) -> None:
    chat = await customer(web, "ana", "Ana")
    await owner.made("DELETE", f"/services/{COLOR}")
    await owner.made("DELETE", f"/professionals/{TINCHO}")

    await taps(chat, "Sacar turno")
    assert not any(label.startswith("Color") for label in chat.labels), chat.labels
    await taps(chat, "Corte ·")

    assert chat.step == "professional", chat.text
    assert "Tincho" not in " ".join(chat.labels)
    assert "Facu" in " ".join(chat.labels)
