"""Professionals and the owner on Telegram: linking, agenda, done / no-show, blocked time, takings.

Turnos are booked through the REST API; what a barber reads comes off the fake Bot API. The clock
starts on Tuesday 2026-12-01, 09:00 in Buenos Aires (Tincho works 10-19, lunch 14-15).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.settings import get_settings
from domain import booking as use_cases
from domain.storage.channels import create_link_code, staff_link
from domain.storage.tables import PaymentRow
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import TelegramUser, WhatsAppUser
from tests.fakes.telegram_api import FakeTelegram, start_update, text_update
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock, build_shop, shop_key

Live = tuple[FastAPI, httpx.AsyncClient]
SHOP = "/api/v1/shops/don-julio"
TUESDAY = "2026-12-01"
FRIDAY = "2026-12-04"
LINKED_TINCHO = (
    "¡Listo, Tincho, quedó vinculado! Desde ahora te aviso acá de tus turnos nuevos, "
    "cancelados y movidos."
)
LINKED_OWNER = "¡Listo, quedó vinculado! Desde ahora te aviso acá de cada turno del local."
BAD_CODE = (
    "Ese código no funciona: puede estar mal escrito, ya usado o tener más de un día. "
    "Pedí uno nuevo."
)


@dataclass
class Shop:
    """The demo shop through the REST API: ids by name, and an API key."""

    client: httpx.AsyncClient
    key: str
    services: dict[str, int]
    professionals: dict[str, int]

    @property
    def auth(self) -> dict[str, str]:
        """The Authorization header."""
        return {"Authorization": f"Bearer {self.key}"}

    async def book(
        self, professional: str, start: str, customer: str, phone: str, service: str = "Corte"
    ) -> int:
        """Book through POST /bookings; returns the booking id."""
        body = {
            "service_id": self.services[service],
            "professional_id": self.professionals[professional],
            "start": start,
            "customer": {"name": customer, "phone": phone},
        }
        response = await self.client.post(f"{SHOP}/bookings", json=body, headers=self.auth)
        assert response.status_code == 201, response.text
        booking_id: int = response.json()["id"]
        return booking_id

    async def booking(self, booking_id: int) -> dict[str, Any]:
        """GET /bookings/{id}."""
        response = await self.client.get(f"/api/v1/bookings/{booking_id}", headers=self.auth)
        assert response.status_code == 200, response.text
        booking: dict[str, Any] = response.json()
        return booking

    async def starts(self, professional: str, day: str, service: str = "Corte") -> list[str]:
        """GET /availability for one professional and day: the local start times, "HH:MM"."""
        params: dict[str, str | int] = {
            "service_id": self.services[service],
            "professional_id": self.professionals[professional],
            "from": day,
            "to": day,
        }
        response = await self.client.get(f"{SHOP}/availability", params=params, headers=self.auth)
        assert response.status_code == 200, response.text
        return [slot["start"][11:16] for slot in response.json()]


@pytest.fixture
async def shop(live: Live, engine: AsyncEngine, clock: FixedClock) -> Shop:
    """The demo shop's ids and an API key for the live app."""
    _, client = live
    key = await shop_key(engine, "don-julio", clock.now(), name="staff-chat-tests")
    headers = {"Authorization": f"Bearer {key}"}
    services = (await client.get(f"{SHOP}/services", headers=headers)).json()
    people = (await client.get(f"{SHOP}/professionals", headers=headers)).json()
    return Shop(
        client,
        key,
        {s["name"]: s["id"] for s in services},
        {p["nickname"]: p["id"] for p in people},
    )


async def linked(
    live: Live, fake: FakeTelegram, clock: FixedClock, shop: Shop, who: str | None, chat_id: int
) -> TelegramUser:
    """A Telegram chat linked with a fresh one-time code: a professional's, or the owner's."""
    app, client = live
    async with app.state.uow_factory.read_only() as uow:
        found = await uow.catalog.shop_by_slug("don-julio")
    assert found is not None
    professional = shop.professionals[who] if who else None
    code = await create_link_code(app.state.uow_factory, found.id, professional, clock.now())
    person = TelegramUser(app, client, fake, chat_id=chat_id, first_name=who or "Julio")
    replies = await person.say(f"vincular {code}")
    welcome = LINKED_TINCHO if who == "Tincho" else LINKED_OWNER
    # Only the welcome (and its menu): no notice of a turno booked before the link.
    assert texts(replies)[0] == welcome, replies
    assert not any(t.startswith(("📅", "❌", "🔁")) for t in texts(replies)), replies
    return person


def texts(replies: list[dict[str, Any]]) -> list[str]:
    """The texts of some replies."""
    return [m["text"] for m in replies]


# ---- agenda, done / no-show -------------------------------------------------------------------


async def test_agenda_de_hoy_lists_the_professionals_turnos_of_the_day(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Asking "agenda de hoy": the barber's turnos of the day, customer and phone, nobody else's."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9101)
    await shop.book("Tincho", f"{TUESDAY}T11:00:00-03:00", "Diego Sosa", "11 5555-6666")
    await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    await shop.book("Facu", f"{TUESDAY}T12:30:00-03:00", "Pedro Ríos", "11 7777-8888")

    notes = texts(await tincho.replies())
    assert notes == [
        "📅 Nuevo turno: martes 1/12 11:00, Corte, Diego Sosa",
        "📅 Nuevo turno: martes 1/12 10:00, Corte, Carla Gómez",
    ]
    [agenda] = await tincho.say("agenda de hoy")
    assert agenda["text"] == (
        "Agenda del martes 1 de diciembre\n\n"
        "10:00 · Corte · Carla Gómez (+54 9 11 3333-4444)\n"
        "11:00 · Corte · Diego Sosa (+54 9 11 5555-6666)\n\n"
        "2 turnos"
    )
    assert not any(label.startswith(("✅", "🚫")) for label in tincho.buttons(agenda)), (
        "nothing to mark before the turnos start"
    )


async def test_after_the_start_the_agenda_offers_done_and_no_show_and_they_mark_the_booking(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Once a turno started, the agenda has ✅ / 🚫 buttons; tapping them completes it or marks
    the no-show (seen through GET /bookings/{id}); a stale button is refused politely."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9102)
    carla = await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    diego = await shop.book("Tincho", f"{TUESDAY}T11:00:00-03:00", "Diego Sosa", "11 5555-6666")
    assert len(await tincho.replies()) == 2, "the two notifications"

    clock.advance(hours=1, minutes=5)  # 10:05
    [agenda] = await tincho.say("agenda de hoy")
    assert tincho.buttons(agenda)[:2] == ["✅ 10:00 Carla", "🚫 10:00 Carla"]
    assert "✅ 11:00 Diego" not in tincho.buttons(agenda), "Diego's turno has not started"
    [done] = await tincho.tap("✅ 10:00 Carla")
    assert done["text"] == "Listo: el turno de Carla Gómez (10:00, Corte) quedó como atendido. ✔"
    assert (await shop.booking(carla))["status"] == "completed"
    assert (await shop.booking(diego))["status"] == "confirmed"

    clock.advance(hours=1)  # 11:05
    [agenda] = await tincho.say("agenda de hoy")
    assert "10:00 · Corte · Carla Gómez (+54 9 11 3333-4444) ✔" in agenda["text"]
    assert tincho.buttons(agenda)[:2] == ["✅ 11:00 Diego", "🚫 11:00 Diego"]
    [noted] = await tincho.tap("🚫 11:00 Diego")
    assert noted["text"] == "Anotado: Diego Sosa no vino (11:00, Corte)."
    assert (await shop.booking(diego))["status"] == "no_show"

    [stale] = await tincho.tap_data(f"staff.done.{carla}", agenda["message_id"])
    assert "ya no se puede marcar" in stale["text"], stale
    assert (await shop.booking(carla))["status"] == "completed"


async def test_caja_de_hoy_shows_the_takings_in_pesos(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Asking "caja de hoy": done and still to come, at the frozen prices, as es_AR writes money."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9103)
    carla = await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    diego = await shop.book(
        "Tincho", f"{TUESDAY}T11:00:00-03:00", "Diego Sosa", "11 5555-6666", "Barba"
    )
    await shop.book(
        "Tincho", f"{TUESDAY}T16:00:00-03:00", "Pedro Ríos", "11 7777-8888", "Corte + barba"
    )
    clock.advance(hours=2, minutes=5)  # 11:05: both morning turnos have started
    await tincho.say("agenda de hoy")
    await tincho.tap("✅ 10:00 Carla")
    await tincho.say("agenda de hoy")
    await tincho.tap("✅ 11:00 Diego")
    assert [(await shop.booking(b))["status"] for b in (carla, diego)] == ["completed"] * 2

    [caja] = await tincho.say("caja de hoy")
    assert caja["text"] == (
        "Caja del martes 1 de diciembre\n"
        "✔ Hechos: 2 turnos, $\u00a020.000\n"
        "⏳ Por venir: 1 turno, $\u00a018.000"
    )


# ---- blocked time -----------------------------------------------------------------------------


def overlaps(start: str, minutes: int, first: str, last: str) -> bool:
    """Whether a slot starting at `start` ("HH:MM") and lasting `minutes` overlaps [first, last)."""

    def minute(clock: str) -> int:
        hours, mins = clock.split(":")
        return int(hours) * 60 + int(mins)

    begin = minute(start)
    return begin < minute(last) and begin + minutes > minute(first)


async def test_me_voy_a_almorzar_40_min_blocks_from_now(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Saying "me voy a almorzar 40 min" at 11:45 blocks 11:45-12:25: those slots go."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9104)
    clock.advance(hours=2, minutes=45)  # 11:45
    before = await shop.starts("Tincho", TUESDAY)

    [reply] = await tincho.say("me voy a almorzar 40 min")
    assert reply["text"] == "Listo, bloqueé el martes 1 de diciembre de 11:45 a 12:25."
    after = await shop.starts("Tincho", TUESDAY)
    gone = [s for s in before if overlaps(s, 30, "11:45", "12:25")]
    assert gone, before
    assert after == [s for s in before if s not in gone]


async def test_bloquea_el_viernes_de_14_a_16_blocks_that_afternoon(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Saying "bloqueá el viernes de 14 a 16": Friday's slots in that range go; a turno inside
    is kept and pointed out."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9105)
    before = await shop.starts("Tincho", FRIDAY)
    assert {"15:30", "16:00"} <= set(before)

    [reply] = await tincho.say("bloqueá el viernes de 14 a 16")
    assert reply["text"].startswith("Listo, bloqueé el viernes 4 de diciembre de 14:00 a 16:00.")
    assert "Santiago López" in reply["text"], "the demo's Friday 15:00 turno is inside"
    after = await shop.starts("Tincho", FRIDAY)
    assert after == [s for s in before if not overlaps(s, 30, "14:00", "16:00")]
    assert "15:30" not in after
    assert "16:00" in after


# ---- the owner --------------------------------------------------------------------------------


async def test_a_hold_is_news_only_once_confirmed_and_a_hold_let_go_is_not_a_cancellation(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """A turno held while the customer pays (or decides on a waitlist offer) reaches the
    barber when it is confirmed; one let go never does."""
    app, client = live
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9130)
    held = []
    for hour, name in ((11, "Diego Sosa"), (12, "Carla Gómez")):
        body = {
            "service_id": shop.services["Corte"],
            "professional_id": shop.professionals["Tincho"],
            "start": f"{TUESDAY}T{hour}:00:00-03:00",
            "customer": {"name": name, "phone": f"11 5555-00{hour}"},
            "hold": True,
        }
        response = await client.post(f"{SHOP}/bookings", json=body, headers=shop.auth)
        assert response.status_code == 201, response.text
        held.append(response.json()["id"])
    assert texts(await tincho.replies()) == []

    await use_cases.confirm(app.state.uow_factory, clock, held[0])  # paid
    cancelled = await client.post(f"/api/v1/bookings/{held[1]}/cancel", headers=shop.auth)
    assert cancelled.status_code == 200, cancelled.text

    assert texts(await tincho.replies()) == ["📅 Nuevo turno: martes 1/12 11:00, Corte, Diego Sosa"]


async def test_the_owner_hears_about_every_professionals_turnos(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """The owner's chat (no professional) is told of every turno, naming the professional (a
    professional's chat only of their own), sees and marks everyone's, but blocks no time."""
    owner = await linked(live, fake_telegram, clock, shop, None, 9201)
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9202)

    await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    await shop.book("Facu", f"{TUESDAY}T12:30:00-03:00", "Pedro Ríos", "11 7777-8888")
    await shop.book("Lu", "2026-12-02T09:30:00-03:00", "Ana Paz", "11 2222-1111")

    assert sorted(texts(await owner.replies())) == sorted(
        [
            "📅 Nuevo turno: martes 1/12 10:00, Corte, Carla Gómez · con Tincho",
            "📅 Nuevo turno: martes 1/12 12:30, Corte, Pedro Ríos · con Facu",
            "📅 Nuevo turno: miércoles 2/12 09:30, Corte, Ana Paz · con Lu",
        ]
    )
    assert texts(await tincho.replies()) == [
        "📅 Nuevo turno: martes 1/12 10:00, Corte, Carla Gómez"
    ]
    [today] = await owner.say("agenda de hoy")
    assert "10:00 · Tincho · Corte · Carla Gómez" in today["text"]
    assert "12:30 · Facu · Corte · Pedro Ríos" in today["text"]
    assert "2 turnos" in today["text"]
    [tomorrow] = await owner.say("agenda de mañana")
    assert "09:30 · Lu · Corte · Ana Paz" in tomorrow["text"]

    clock.advance(hours=3, minutes=35)  # 12:35: the owner can mark anyone's turno
    [agenda] = await owner.say("agenda de hoy")
    [done] = await owner.tap("✅ 12:30 Pedro")
    assert done["text"].startswith("Listo: el turno de Pedro Ríos (12:30, Corte)"), agenda
    [refused] = await owner.say("bloqueá de 15 a 16")
    assert refused["text"].startswith("Para bloquear horarios, escribí desde el chat"), refused
    assert owner.buttons(refused) == ["Agenda de hoy", "Agenda de mañana", "Caja de hoy"]


# ---- linking and unlinking --------------------------------------------------------------------


async def test_a_chat_linked_after_a_booking_hears_only_of_later_ones(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """«Desde ahora te aviso»: a turno booked just before the link (its notice not yet sent)
    is not news to the new chat; the next one is."""
    app, _ = live
    await app.state.outbox.stop()  # no background rounds: the first notice is still unsent
    await shop.book("Tincho", f"{TUESDAY}T11:00:00-03:00", "Diego Sosa", "11 5555-6666")
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9120)
    await shop.book("Tincho", f"{TUESDAY}T12:00:00-03:00", "Carla Gómez", "11 3333-4444")
    notes = texts(await tincho.replies())
    assert notes == ["📅 Nuevo turno: martes 1/12 12:00, Corte, Carla Gómez"]


async def test_a_wrong_used_or_old_code_gets_a_friendly_refusal(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """A mistyped, already used or expired code is refused kindly and links nothing."""
    app, client = live
    async with app.state.uow_factory.read_only() as uow:
        found = await uow.catalog.shop_by_slug("don-julio")
    assert found is not None
    code = await create_link_code(
        app.state.uow_factory, found.id, shop.professionals["Tincho"], clock.now()
    )
    stranger = TelegramUser(app, client, fake_telegram, chat_id=9301, first_name="Nadie")
    typo = "".join(str((int(d) + 1) % 10) for d in code)
    assert texts(await stranger.say(f"vincular {typo}")) == [BAD_CODE]

    tincho = TelegramUser(app, client, fake_telegram, chat_id=9302, first_name="Tincho")
    assert texts(await tincho.say(f"vincular {code}"))[0] == LINKED_TINCHO
    assert texts(await stranger.say(f"vincular {code}")) == [BAD_CODE], "a code works once"

    old = await create_link_code(app.state.uow_factory, found.id, None, clock.now())
    clock.advance(hours=24, minutes=1)
    assert texts(await stranger.say(f"vincular {old}")) == [BAD_CODE], "a day old"
    assert await staff_link(app.state.uow_factory, "telegram", "9301") is None


async def test_desvincular_unlinks_the_chat(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Saying "desvincular": the chat stops being a staff chat and hears of no more turnos."""
    app, _ = live
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9401)
    assert texts(await tincho.say("desvincular")) == [
        "Listo, desvinculado: este chat ya no va a recibir los turnos del local."
    ]
    assert await staff_link(app.state.uow_factory, "telegram", "9401") is None

    await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    assert await tincho.replies() == [], "no notification any more"


async def test_a_chat_linked_and_unlinked_is_in_the_shops_trail_without_its_chat_id(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Who can read the shop's turnos (and, the owner's chat, its password links) is the
    owner's to know: the trail names the chat's person and channel, never its id."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9411)
    await tincho.say("desvincular")

    trail = await shop.client.get(f"{SHOP}/audit", headers=shop.auth)

    unlinked, linked_row = trail.json()["items"]
    assert (unlinked["action"], linked_row["action"]) == ("staff.unlinked", "staff.linked")
    assert unlinked["subject"] == linked_row["subject"]
    tincho_id = shop.professionals["Tincho"]
    assert linked_row["after"] == {
        "channel": "telegram",
        "staff": f"staff:professional:{tincho_id}",
    }
    assert unlinked["before"] == linked_row["after"]
    for row in (unlinked, linked_row):
        assert (row["source"], row["actor"]) == ("chat", f"staff:professional:{tincho_id}")
    assert "9411" not in trail.text


async def test_rest_link_codes_give_a_usable_code_404_for_a_stranger_and_401_without_key(
    live: Live,
    fake_telegram: FakeTelegram,
    clock: FixedClock,
    shop: Shop,
    uow_factory: UnitOfWorkFactory,
) -> None:
    """POST /shops/don-julio/link-codes: 201 with a code that links (typed or as the deep link),
    404 for a professional not of this shop, 401 without an API key."""
    app, client = live
    url = f"{SHOP}/link-codes"
    made = await client.post(
        url, json={"professional_id": shop.professionals["Tincho"]}, headers=shop.auth
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert re.fullmatch(r"\d{6}", body["code"])
    assert body["professional_id"] == shop.professionals["Tincho"]
    assert body["code"] in body["instructions"]
    tincho = TelegramUser(app, client, fake_telegram, chat_id=9501, first_name="Tincho")
    assert texts(await tincho.say(f"vincular {body['code']}"))[0] == LINKED_TINCHO

    owner_code = await client.post(url, json={}, headers=shop.auth)
    assert owner_code.status_code == 201, owner_code.text
    link = owner_code.json()["telegram_link"]
    assert link == f"https://t.me/barberpro_test_bot?start=link_{owner_code.json()['code']}"
    owner = TelegramUser(app, client, fake_telegram, chat_id=9502, first_name="Julio")
    payload = link.split("start=", 1)[1]
    assert (await owner.post(start_update(9_502_001, 9502, payload, "Julio"))).status_code == 200
    assert texts(await owner.replies())[0] == LINKED_OWNER

    other = await build_shop(uow_factory, slug="otra-barberia")
    for professional_id in (9999, other.professionals[0]):
        missing = await client.post(
            url, json={"professional_id": professional_id}, headers=shop.auth
        )
        assert missing.status_code == 404, missing.text
        assert missing.json()["error"] == "not_found"
    anonymous = await client.post(url, json={})
    assert anonymous.status_code == 401, anonymous.text


async def test_cli_staff_link_code_prints_a_code_that_links(
    live: Live,
    fake_telegram: FakeTelegram,
    clock: FixedClock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`barberpro staff link-code don-julio --professional Tincho` prints a code that works."""
    app, client = live
    # The CLI dates the code by the system clock, so the app's clock jumps to today; the data
    # starts days earlier, and an agenda that came due on the way must not answer first.
    await app.state.jobs.stop()
    clock.current = datetime.now(UTC)
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        args = ["staff", "link-code", "don-julio", "--professional", "Tincho"]
        result = await asyncio.to_thread(runner.invoke, cli, args)
        unknown = await asyncio.to_thread(
            runner.invoke, cli, ["staff", "link-code", "don-julio", "--professional", "Nadie"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    found = re.search(r"Code: (\d{6})", result.output)
    assert found, result.output
    assert f"vincular {found[1]}" in result.output
    assert unknown.exit_code != 0

    tincho = TelegramUser(app, client, fake_telegram, chat_id=9601, first_name="Tincho")
    assert texts(await tincho.say(f"vincular {found[1]}"))[0] == LINKED_TINCHO


# ---- WhatsApp: the buttons are a numbered list ------------------------------------------------


async def test_on_whatsapp_a_professional_answers_the_numbered_choices_by_number(
    live: Live, fake_twilio: FakeTwilio, clock: FixedClock, shop: Shop
) -> None:
    """WhatsApp shows the agenda's buttons as "1. ✅ 10:00 Carla …": answering "1" marks that
    turno done, as tapping the button does on Telegram."""
    app, client = live
    address = "whatsapp:+5491166667777"
    tincho = WhatsAppUser(app, client, fake_twilio, address=address, profile_name="Tincho")

    async with app.state.uow_factory.read_only() as uow:
        found = await uow.catalog.shop_by_slug("don-julio")
    assert found is not None
    code = await create_link_code(
        app.state.uow_factory, found.id, shop.professionals["Tincho"], clock.now()
    )
    [welcome] = await tincho.say(f"vincular {code}")
    assert welcome.startswith(LINKED_TINCHO)
    assert "1. Agenda de hoy" in welcome
    carla = await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    assert await tincho.replies() == ["📅 Nuevo turno: martes 1/12 10:00, Corte, Carla Gómez"]

    clock.advance(hours=1, minutes=5)  # 10:05
    [agenda] = await tincho.say("1")  # "Agenda de hoy"
    assert agenda.startswith("Agenda del martes 1 de diciembre"), agenda
    assert "1. ✅ 10:00 Carla\n2. 🚫 10:00 Carla" in agenda
    # What "1" means is kept in the database, so it still means that after a restart.
    link = await staff_link(app.state.uow_factory, "whatsapp", address)
    assert link is not None
    assert link.offered[0] == (f"staff.done.{carla}", "✅ 10:00 Carla")
    [done] = await tincho.say("1")
    assert done.startswith("Listo: el turno de Carla Gómez (10:00, Corte) quedó como atendido.")
    assert (await shop.booking(carla))["status"] == "completed"


# ---- a shop in another time zone --------------------------------------------------------------


async def test_the_welcome_menu_knows_today_in_the_shops_own_zone(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """In a Madrid shop at 02:00 (still 22:00 in Buenos Aires) the welcome's "Agenda de hoy"
    button opens the Madrid day."""
    app, client = live
    madrid = await build_shop(uow_factory, slug="barberia-madrid", timezone="Europe/Madrid")
    clock.advance(hours=13)  # 2026-12-02 01:00 UTC: 02:00 in Madrid, 22:00 in Buenos Aires
    code = await create_link_code(uow_factory, madrid.shop_id, madrid.professionals[0], clock.now())
    barber = TelegramUser(app, client, fake_telegram, chat_id=9701, first_name="Pepe")
    await barber.say(f"vincular {code}")

    [agenda] = await barber.tap("Agenda de hoy")
    assert agenda["text"].startswith("No tenés turnos el miércoles 2 de diciembre"), agenda


# ---- transfers --------------------------------------------------------------------------------


async def test_a_reported_transfer_is_asked_in_the_barbers_chat_and_their_tap_confirms_it(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """A customer pays by transfer and says "ya transferí": Tincho is asked "¿Llegó?" with two
    buttons; "✅ Llegó" confirms the turno, tells the customer, and is news like any turno."""
    app, client = live
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9140)
    juan = TelegramUser(app, client, fake_telegram, chat_id=9141, first_name="Juan")
    await juan.say("hola")
    await juan.say("Juan")
    await juan.say("corte con Tincho el miércoles a las 16")
    await juan.tap("Transferencia")
    await juan.tap("Confirmar")
    assert "Alias: DON.JULIO.BARBER" in juan.text(), juan.text()
    assert texts(await tincho.replies()) == [], "a held turno is not news yet"

    await juan.say("ya transferí")
    [question] = await tincho.replies()
    assert question["text"] == (
        "💸 Juan dice que transfirió $\xa012.000 por el turno del miércoles 2/12 16:00 (Corte). "
        "¿Llegó?"
    )
    assert tincho.buttons(question) == ["✅ Llegó", "❌ No llegó"]

    done = texts(await tincho.tap("✅ Llegó"))
    assert done[0] == "Listo: el turno quedó confirmado y el cliente ya sabe."
    assert "📅 Nuevo turno: miércoles 2/12 16:00, Corte, Juan" in done + texts(
        await tincho.replies()
    )
    assert any(t.startswith("Pago recibido") for t in texts(await juan.replies()))
    again = await tincho.tap_data(
        question["reply_markup"]["inline_keyboard"][0][0]["callback_data"], question["message_id"]
    )
    assert texts(again) == ["Esa transferencia ya estaba respondida."]

    # Cancelled in time: the shop is told what to give back, the customer that it will.
    await juan.say("quiero cancelar mi turno del miércoles")
    await juan.tap("Sí, cancelalo")
    notes = texts(await tincho.replies())  # the notice, and the refund job is planned
    await app.state.jobs.run_once()
    notes += texts(await tincho.replies())
    give_back = (
        "↩️ Juan canceló a tiempo el turno del miércoles 2/12 16:00: devolvele los "
        "$\xa012.000 que transfirió."
    )
    assert give_back in notes, notes
    told = texts(await juan.replies())
    assert any(t.startswith("Cancelaste a tiempo tu turno del miércoles") for t in told), told


async def test_after_done_the_barber_notes_the_cash_once_and_the_ledger_has_it(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Paid at the shop: "✅ 10:00 Carla", then "💵 Pagó $ 12.000 en efectivo" writes the
    charge's ledger lines; a second tap notes nothing more; the payouts report shows it."""
    _, client = live
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9150)
    await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    await tincho.replies()
    clock.advance(hours=1, minutes=5)  # 10:05
    await tincho.say("agenda de hoy")
    [done] = await tincho.tap("✅ 10:00 Carla")
    assert tincho.buttons(done)[0] == "💵 Pagó $\xa012.000 en efectivo"

    [noted] = await tincho.tap("💵")
    again = await tincho.tap_data(
        done["reply_markup"]["inline_keyboard"][0][0]["callback_data"], done["message_id"]
    )

    assert noted["text"] == "Anotado: $\xa012.000 en efectivo de Carla Gómez (10:00)."
    assert texts(again) == ["Ese cobro ya estaba anotado."]
    report = await client.get(
        f"{SHOP}/payouts", params={"from": TUESDAY, "to": TUESDAY}, headers=shop.auth
    )
    [line] = report.json()["payouts"]
    assert (line["charged"]["amount"], line["owed_to_professional"]["amount"]) == (
        "12000.00",
        "5820.00",
    )


async def test_a_barbers_chat_marks_cash_and_blocks_are_in_the_shops_trail_as_that_chat(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """What a professional does from their chat (a turno done, cash noted, time blocked) is
    the owner's to see in the trail, by that chat's professional, like a dashboard change."""
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9160)
    carla = await shop.book("Tincho", f"{TUESDAY}T10:00:00-03:00", "Carla Gómez", "11 3333-4444")
    await tincho.replies()
    clock.advance(hours=1, minutes=5)  # 10:05
    await tincho.say("agenda de hoy")
    await tincho.tap("✅ 10:00 Carla")
    await tincho.tap("💵")
    await tincho.say("me voy a almorzar 40 min")

    trail = await shop.client.get(f"{SHOP}/audit", headers=shop.auth)

    by_chat = f"staff:professional:{shop.professionals['Tincho']}"
    rows = {
        row["action"]: row
        for row in trail.json()["items"]
        if (row["source"], row["actor"]) == ("chat", by_chat)
    }
    assert {"booking.completed", "payment.cash", "time_off.added"} <= set(rows), rows
    assert rows["booking.completed"]["subject"] == f"booking:{carla}"
    assert rows["payment.cash"]["subject"] == f"booking:{carla}"
    assert "3333" not in trail.text


async def test_where_the_shop_takes_each_cash_turno_the_barber_is_asked_and_answers(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """With `cash_confirms` off, a cash turno waits for the shop: Tincho is asked «¿Lo
    aceptás?»; «✅ Sí» confirms it and tells the customer; «❌ No puedo» lets it go."""
    app, client = live
    setup = await client.get(f"{SHOP}/payment-settings", headers=shop.auth)
    body = {k: v for k, v in setup.json().items() if k not in ("offered", "transfer_account_kind")}
    body["cash_confirms"] = False
    saved = await client.put(f"{SHOP}/payment-settings", json=body, headers=shop.auth)
    assert saved.status_code == 200, saved.text
    app.state.dispatcher.catalogs.invalidate()  # the chat reads the shop afresh
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9160)

    juan = TelegramUser(app, client, fake_telegram, chat_id=9161, first_name="Juan")
    await juan.say("hola")
    await juan.say("Juan")
    await juan.say("corte con Tincho el miércoles a las 16")
    await juan.tap("Efectivo")
    await juan.tap("Confirmar")
    assert "Le pedí al local que confirme tu turno" in juan.text(), juan.text()
    [question] = await tincho.replies()
    assert question["text"] == (
        "🆕 Juan pidió turno: miércoles 2/12 16:00 (Corte), paga en el local. ¿Lo aceptás?"
    )
    answered = texts(await tincho.tap("✅ Sí"))
    assert answered[0] == "Listo: el turno quedó confirmado y el cliente ya sabe."
    told = texts(await juan.replies())
    assert "¡El local confirmó tu turno del miércoles 2 de diciembre, 16:00! Te esperamos." in told

    await juan.say("corte con Tincho el jueves a las 11")
    await juan.tap("Efectivo")
    await juan.tap("Confirmar")
    await tincho.replies()
    declined = texts(await tincho.tap("❌ No puedo"))
    assert declined[0] == "Listo: liberé el horario y le avisé al cliente."
    told = texts(await juan.replies())
    assert any(t.startswith("Perdón, el local no puede atenderte el jueves") for t in told), told


async def test_a_photo_of_the_receipt_is_kept_and_the_barber_is_told_it_came(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, shop: Shop
) -> None:
    """Instead of writing, the customer sends the receipt's photo: it is kept on the payment
    (Telegram's file id) and the barber's question says it came."""
    app, client = live
    tincho = await linked(live, fake_telegram, clock, shop, "Tincho", 9170)
    juan = TelegramUser(app, client, fake_telegram, chat_id=9171, first_name="Juan")
    await juan.say("hola")
    await juan.say("Juan")
    await juan.say("corte con Tincho el miércoles a las 16")
    await juan.tap("Transferencia")
    await juan.tap("Confirmar")

    update = text_update(77_001, 9171, "", "Juan")
    del update["message"]["text"]
    update["message"]["photo"] = [
        {"file_id": "AgACsmall", "file_unique_id": "s1", "width": 90, "height": 90},
        {"file_id": "AgACbig", "file_unique_id": "b1", "width": 1280, "height": 1280},
    ]
    assert (await juan.post(update)).status_code == 200
    thanks = await juan.replies()
    assert "Le aviso al local" in thanks[0]["text"], thanks

    [question] = await tincho.replies()
    assert question["text"].endswith("¿Llegó? 📎 Mandó el comprobante."), question["text"]
    async with app.state.uow_factory.read_only() as uow:
        receipt = await uow.session.scalar(
            select(PaymentRow.receipt).order_by(PaymentRow.id.desc()).limit(1)
        )  # Juan's payment: the latest, whatever the shop had before
    assert receipt == "telegram:AgACbig"
