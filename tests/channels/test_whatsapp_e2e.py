"""WhatsApp end to end: Twilio-signed form posts into the app, the real twilio `Client` out to
the fake Twilio server; the demo shop (Barbería Don Julio) on a fixed clock (Tuesday
2026-12-01, 09:00 in Buenos Aires)."""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

import bot.channels.runtime
from bot.cli import app as barberpro
from bot.demo import seed_demo
from bot.settings import get_settings
from domain.storage.channels import create_link_code, whatsapp_templates
from domain.storage.tables import (
    BookingRow,
    InboundMessageRow,
    OutboxRow,
    ShopMessageRow,
    ShopRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import (
    PUBLIC_URL,
    WHATSAPP_FROM,
    WhatsAppUser,
    channel_settings,
    live_app,
    settle,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import (
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    FakeTwilio,
    sign,
)
from tests.helpers import FixedClock, build_shop, platform_key, shop_key

App = tuple[FastAPI, httpx.AsyncClient]
Cli = Callable[..., Awaitable[str]]

WEBHOOK = f"{PUBLIC_URL}/webhooks/whatsapp"
LUCIA = "whatsapp:+5491155550000"
FACU_PHONE = "whatsapp:+5491144443333"
WED_10 = "2026-12-02T10:00:00-03:00"  # Tincho is free then
THU_12_30 = "2026-12-03T12:30:00-03:00"  # so is Facu
QUICK_REPLY_3 = "HX" + "3" * 32
LIST_PICKER_4 = "HX" + "4" * 32
OUTSIDE_WINDOW = "HX" + "0a" * 16


@pytest.fixture
def chat(live: App, monkeypatch: pytest.MonkeyPatch) -> App:
    """The live app with per-chat flood control lifted too: a scripted person types fast."""
    monkeypatch.setattr(bot.channels.runtime, "FLOOD_BURST", 1000)
    return live


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """Runs `barberpro ...` on the test's database (in a thread: the CLI runs its own loop)."""
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", database_url)
    get_settings.cache_clear()

    async def run(*args: str) -> str:
        result = await asyncio.to_thread(CliRunner().invoke, barberpro, list(args))
        assert result.exit_code == 0, result.output
        return result.output

    yield run
    get_settings.cache_clear()


# ---- helpers ------------------------------------------------------------------------------


async def link_on_whatsapp(
    app: App, fake: FakeTwilio, clock: FixedClock, name: str, address: str = FACU_PHONE
) -> WhatsAppUser:
    """A professional's WhatsApp, linked by sending "vincular <code>" from their number."""
    uow_factory: UnitOfWorkFactory = app[0].state.uow_factory
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug("don-julio")
        assert shop is not None
        people = await uow.catalog.professionals(shop.id)
    professional = next(p for p in people if name in (p.name, p.nickname))
    code = await create_link_code(uow_factory, shop.id, professional.id, clock.now())
    barber = WhatsAppUser(app[0], app[1], fake, address, profile_name=name)
    await barber.say(f"vincular {code}")
    assert len(barber.last) == 1, barber.last
    assert name in barber.text(), barber.last
    return barber


def creates(fake: FakeTwilio, to: str | None = None) -> list[dict[str, Any]]:
    """The parameters of every message the app created on Twilio (to one address)."""
    return [call["params"] for call in fake.sent(to)]


async def count(app: FastAPI, table: type[Any]) -> int:
    """Rows in an inbox or outbox table."""
    async with app.state.uow_factory.read_only() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(table)) or 0)


async def book_by_api(
    app: App, clock: FixedClock, start: str, service: str, professional: str, name: str, phone: str
) -> dict[str, Any]:
    """A turno booked through the REST API, as the shop's website would."""
    client = app[1]
    key = await shop_key(app[0].state.engine, "don-julio", clock.now(), name="website")
    headers = {"Authorization": f"Bearer {key}"}
    services = (await client.get("/api/v1/shops/don-julio/services", headers=headers)).json()
    people = (await client.get("/api/v1/shops/don-julio/professionals", headers=headers)).json()
    body = {
        "service_id": next(s["id"] for s in services if s["name"] == service),
        "professional_id": next(p["id"] for p in people if p["nickname"] == professional),
        "start": start,
        "customer": {"name": name, "phone": phone},
    }
    response = await client.post("/api/v1/shops/don-julio/bookings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    booking: dict[str, Any] = response.json()
    return booking


def variables(params: dict[str, Any]) -> dict[str, str]:
    """A template message's ContentVariables, decoded."""
    decoded: dict[str, str] = json.loads(params["ContentVariables"])
    return decoded


def choice_id(params: dict[str, Any], label: str) -> str:
    """The id a template message gave the button or item labelled `label`."""
    values = variables(params)
    for n in range(2, len(values), 2):
        if values[str(n)].startswith(label):
            return values[str(n + 1)]
    raise AssertionError(f"no choice {label!r} in {values}")


# ---- a whole booking --------------------------------------------------------------------


async def test_a_booking_and_a_cancellation_on_whatsapp_reach_the_barber_on_whatsapp(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock
) -> None:
    """From "hola" to a confirmed turno ("2", "dos", option texts), cancelled; Facu hears both."""
    app, client = chat
    facu = await link_on_whatsapp(chat, fake_twilio, clock, "Facu")
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)

    await lucia.say("hola")
    await lucia.say("Lucía")
    assert lucia.number_of("Sacar turno") == 1
    await lucia.say("Sacar turno")  # the option's text
    assert lucia.number_of("Barba") == 2
    await lucia.say("dos")  # a number word
    assert lucia.number_of("Facu") == 2
    await lucia.say("2")  # the number
    assert "Mañana" in lucia.text(), lucia.last
    await lucia.pick("Mañana")
    await lucia.pick("12:30")
    assert "Barba con Facu" in lucia.text(), lucia.last
    await lucia.say("Efectivo en el local")
    await lucia.say("Confirmar")
    assert "reservé" in lucia.text().lower(), lucia.last
    assert "12:30" in lucia.text(), lucia.last

    notes = await facu.replies()
    assert len(notes) == 1, notes
    assert "📅" in notes[0], notes
    assert "Lucía" in notes[0], notes
    assert "Barba" in notes[0], notes
    assert "12:30" in notes[0], notes

    await lucia.say("Mis turnos")
    assert "Barba" in lucia.text(), lucia.last
    assert "12:30" in lucia.text(), lucia.last
    await lucia.say("1")
    await lucia.pick("Cancelarlo")
    await lucia.pick("Sí")
    assert "cancelé" in lucia.text().lower(), lucia.last

    notes = await facu.replies()
    assert len(notes) == 1, notes
    assert "❌" in notes[0], notes
    assert "Lucía" in notes[0], notes
    await lucia.say("Mis turnos")
    assert "12:30" not in lucia.text(), lucia.last

    async with app.state.uow_factory.read_only() as uow:
        made_on = await uow.session.scalar(
            select(BookingRow.channel).order_by(BookingRow.id.desc()).limit(1)
        )
    assert made_on == "whatsapp"
    sent = creates(fake_twilio)
    assert {m["To"] for m in sent} == {LUCIA, FACU_PHONE}  # the exact inbound From addresses
    assert {m["From"] for m in sent} == {WHATSAPP_FROM}
    assert fake_twilio.calls("messages.create") == fake_twilio.sent()  # nothing refused


async def test_a_turns_several_replies_arrive_as_one_whatsapp_message(
    chat: App, fake_twilio: FakeTwilio
) -> None:
    """The greeting and the name question: two replies, merged into one message, in order."""
    app, client = chat
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)

    replies = await lucia.say("hola")

    assert len(replies) == 1, replies
    greeting, question = replies[0].split("\n\n")
    assert "Don Julio" in greeting, replies
    assert question.endswith("?"), replies
    replies = await lucia.say("Lucía")
    assert len(replies) == 1, replies
    assert replies[0].startswith("¡Un gusto, Lucía!"), replies
    assert "1. Sacar turno" in replies[0], replies


# ---- inbound safety -----------------------------------------------------------------------


def unsigned(form: dict[str, str]) -> dict[str, str]:
    """No X-Twilio-Signature header at all."""
    return {}


def garbage(form: dict[str, str]) -> dict[str, str]:
    """A signature that is no signature."""
    return {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"}


def wrong_token(form: dict[str, str]) -> dict[str, str]:
    """Signed with someone else's auth token."""
    return {"X-Twilio-Signature": sign("not-our-auth-token", WEBHOOK, form)}


def local_url(form: dict[str, str]) -> dict[str, str]:
    """Signed for the address the app listens on, not the public one Twilio posts to."""
    return {
        "X-Twilio-Signature": sign(TEST_AUTH_TOKEN, "http://127.0.0.1:8000/webhooks/whatsapp", form)
    }


@pytest.mark.parametrize("headers", [unsigned, garbage, wrong_token, local_url])
async def test_a_post_without_a_good_signature_is_refused_with_no_effect(
    chat: App, fake_twilio: FakeTwilio, headers: Callable[[dict[str, str]], dict[str, str]]
) -> None:
    """Missing, garbage, wrong-token or wrong-URL signature: 403, nothing recorded or sent."""
    app, client = chat
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)
    form = lucia.form("hola")

    response = await client.post("/webhooks/whatsapp", data=form, headers=headers(form))

    assert response.status_code == 403, response.text
    await settle(app)
    assert await count(app, InboundMessageRow) == 0
    assert fake_twilio.calls() == []


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda form: {**form, "ButtonPayload": "1.book"}, id="field added"),
        pytest.param(lambda form: {**form, "Body": "cancelar mi turno"}, id="body changed"),
        pytest.param(lambda form: {**form, "From": "whatsapp:+5491100000000"}, id="sender"),
    ],
)
async def test_a_form_changed_after_signing_is_refused_with_no_effect(
    chat: App, fake_twilio: FakeTwilio, tamper: Callable[[dict[str, str]], dict[str, str]]
) -> None:
    """Every field is signed: adding or changing one after signing gives 403 and no effect."""
    app, client = chat
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)
    form = lucia.form("hola")
    signature = sign(fake_twilio.auth_token, WEBHOOK, form)

    response = await lucia.post(tamper(form), signature=signature)

    assert response.status_code == 403, response.text
    await settle(app)
    assert await count(app, InboundMessageRow) == 0
    assert fake_twilio.calls() == []


async def test_the_signature_is_checked_against_the_public_url_behind_a_proxy(
    chat: App, fake_twilio: FakeTwilio
) -> None:
    """Reached at 127.0.0.1:8000 through a proxy: Twilio's signature over the public URL holds."""
    app, _ = chat
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as proxy:
        lucia = WhatsAppUser(app, proxy, fake_twilio, LUCIA)
        local = lucia.form("hola")
        refused = await lucia.post(local, signature=local_url(local)["X-Twilio-Signature"])
        query = lucia.form("hola")
        with_query = await proxy.post(
            "/webhooks/whatsapp?shop=don-julio",
            data=query,
            headers={
                "X-Twilio-Signature": sign(TEST_AUTH_TOKEN, f"{WEBHOOK}?shop=don-julio", query)
            },
        )
        accepted = await lucia.post(lucia.form("hola"))  # signed over PUBLIC_URL

    assert refused.status_code == 403, refused.text
    assert with_query.status_code == 200, with_query.text
    assert accepted.status_code == 200, accepted.text
    assert "<Response>" in accepted.text, accepted.text
    await settle(app)
    assert await count(app, InboundMessageRow) == 2


async def test_a_replayed_message_sid_has_one_effect(chat: App, fake_twilio: FakeTwilio) -> None:
    """The same form posted again, and five times at once: one inbox row, one reply each."""
    app, client = chat
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)
    hello = lucia.form("hola")

    first = await lucia.post(hello)
    again = await lucia.post(hello)
    await settle(app)
    name = lucia.form("Lucía")
    burst = await asyncio.gather(*(lucia.post(name) for _ in range(5)))
    await settle(app)

    assert [r.status_code for r in [first, again, *burst]] == [200] * 7
    assert await count(app, InboundMessageRow) == 2
    bodies = [m["Body"] for m in creates(fake_twilio, LUCIA)]
    assert len(bodies) == 2, bodies
    assert bodies[1].startswith("¡Un gusto, Lucía!"), bodies


@pytest.mark.parametrize(
    ("status", "error"), [("sent", None), ("delivered", None), ("read", None), ("failed", "63016")]
)
async def test_twilio_status_callbacks_are_ignored(
    chat: App,
    fake_twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
    status: str,
    error: str | None,
) -> None:
    """A status callback (MessageStatus, no Body) is answered 200 and starts no conversation."""
    app, client = chat
    sid = "SM" + "5" * 32
    form = {
        "SmsSid": sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "ChannelToAddress": "+5491155550000",
        "To": LUCIA,
        "ChannelPrefix": "whatsapp",
        "MessageSid": sid,
        "AccountSid": TEST_ACCOUNT_SID,
        "From": WHATSAPP_FROM,
        "ApiVersion": "2010-04-01",
        "ChannelInstallSid": "XE" + "6" * 32,
    }
    if error is not None:
        form["ErrorCode"] = error
    caplog.set_level(logging.INFO, logger="bot.channels.whatsapp")

    response = await WhatsAppUser(app, client, fake_twilio, LUCIA).post(form)

    assert response.status_code == 200, response.text
    await settle(app)
    assert await count(app, InboundMessageRow) == 0
    assert fake_twilio.calls() == []
    if error is not None:
        assert any(sid in r.message and error in r.message for r in caplog.records), caplog.text


async def test_nul_characters_in_a_body_or_a_profile_name_are_dropped_and_the_chat_goes_on(
    chat: App, fake_twilio: FakeTwilio
) -> None:
    """PostgreSQL text cannot hold NUL: parsing drops it, and the message is handled as text."""
    app, client = chat
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA, profile_name="Lu\x00cía")

    await lucia.say("ho\x00la")
    await lucia.say("Lu\x00cía")
    assert lucia.text().startswith("¡Un gusto, Lucía!"), lucia.last
    await lucia.pick("Hablar con alguien")
    await lucia.say("¿Hacen\x00 permanente?")

    async with app.state.uow_factory.read_only() as uow:
        statuses = set(await uow.session.scalars(select(InboundMessageRow.status)))
        said = await uow.session.scalar(select(ShopMessageRow.text))
    assert statuses == {"done"}
    assert said == "¿Hacen permanente?"


# ---- one customer, Argentine numbers ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("011 15-6230-1188", "whatsapp:+5491162301188"),
        ("+54 11 6230-1188", "whatsapp:+5491162301188"),
        ("+54 9 11 6230-1188", "whatsapp:+541162301188"),  # a From without the 9, if it comes
    ],
)
async def test_a_customer_booked_by_phone_is_recognised_on_whatsapp(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock, typed: str, address: str
) -> None:
    """Booked on the website as "011 15-…": on WhatsApp she is greeted by name, sees her turno."""
    app, client = chat
    await book_by_api(chat, clock, WED_10, "Corte", "Tincho", "Ramira", typed)
    ramira = WhatsAppUser(app, client, fake_twilio, address, profile_name="Rami 💈")

    await ramira.say("hola")
    assert "Ramira" in ramira.text(), ramira.last
    await ramira.say("Mis turnos")

    assert "Corte" in ramira.text(), ramira.last
    assert "10:00" in ramira.text(), ramira.last
    assert {m["To"] for m in creates(fake_twilio)} == {address}  # exactly as it came in


# ---- content templates --------------------------------------------------------------------


async def test_configured_templates_carry_the_choices_and_taps_pick_them(
    chat: App, fake_twilio: FakeTwilio, cli: Cli
) -> None:
    """quick_reply_3 / list_picker_4 set: 3 or 4 choices go as templates, others as text."""
    app, client = chat
    assert "quick_reply_3" in await cli(
        "whatsapp", "template", "don-julio", "quick_reply_3", QUICK_REPLY_3
    )
    await cli("whatsapp", "template", "don-julio", "list_picker_4", LIST_PICKER_4)
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)

    await lucia.say("hola")  # no choices: plain text
    assert "ContentSid" not in creates(fake_twilio, LUCIA)[-1]
    await lucia.say("Lucía")  # the menu: four choices
    menu = creates(fake_twilio, LUCIA)[-1]
    assert menu["ContentSid"] == LIST_PICKER_4, menu
    assert "Body" not in menu, menu
    values = variables(menu)
    assert values["1"].startswith("¡Un gusto, Lucía! "), values
    assert "\n" not in values["1"], values
    assert values["2"] == "Sacar turno", values
    assert values["4"] == "Mis turnos", values
    assert len(values) == 9, values  # the body, then label and id of each choice
    assert all(values[str(n)] for n in (3, 5, 7, 9)), values

    book = choice_id(menu, "Sacar turno")
    await lucia.say("Sacar turno", ListId=book, ListTitle="Sacar turno")  # a list pick
    services = creates(fake_twilio, LUCIA)[-1]
    assert "ContentSid" not in services, services  # 5 services + Volver + Cancelar: no template
    assert lucia.number_of("Barba") == 2
    await lucia.say("dos")
    await lucia.pick("Facu")
    await lucia.pick("Mañana")
    await lucia.pick("12:30")
    pay = creates(fake_twilio, LUCIA)[-1]  # Efectivo, Transferencia, Volver, Cancelar
    assert pay["ContentSid"] == LIST_PICKER_4, pay
    await lucia.say("Efectivo en el local", ListId=choice_id(pay, "Efectivo"))
    confirm = creates(fake_twilio, LUCIA)[-1]  # Confirmar, Cambiar, Volver, Cancelar
    assert confirm["ContentSid"] == LIST_PICKER_4, confirm
    await lucia.say("Confirmar", ListId=choice_id(confirm, "Confirmar"), ListTitle="Confirmar")
    assert "reservé" in lucia.text().lower(), lucia.last

    await lucia.say("Mis turnos")  # one turno + Volver + Cancelar: quick reply buttons
    mine = creates(fake_twilio, LUCIA)[-1]
    assert mine["ContentSid"] == QUICK_REPLY_3, mine
    turno = variables(mine)["2"]
    assert turno.startswith("Barba"), turno
    assert len(turno) <= 20, turno  # a button's title
    await lucia.say(turno, ButtonPayload=choice_id(mine, "Barba"), ButtonText=turno)  # a tap
    options = creates(fake_twilio, LUCIA)[-1]
    assert options["ContentSid"] == LIST_PICKER_4, options
    assert "12:30" in variables(options)["1"], options  # the turno Lucía tapped


# ---- the 24-hour window -------------------------------------------------------------------


async def test_outside_the_window_a_notification_goes_as_the_approved_template(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock, cli: Cli
) -> None:
    """Facu last wrote 25 hours ago: his new-turno notice goes as the outside_window template."""
    await cli("whatsapp", "template", "don-julio", "outside_window", OUTSIDE_WINDOW)
    facu = await link_on_whatsapp(chat, fake_twilio, clock, "Facu")
    clock.advance(hours=25)

    await book_by_api(chat, clock, THU_12_30, "Corte", "Facu", "Juan Pérez", "11 5874-9895")
    await settle(chat[0])

    sent = creates(fake_twilio, facu.address)
    assert len(sent) == 2, sent  # the welcome, then the notice
    notice = sent[-1]
    assert notice["ContentSid"] == OUTSIDE_WINDOW, notice
    assert "Body" not in notice, notice
    text = variables(notice)["1"]
    assert "📅" in text, text
    assert "Juan Pérez" in text, text
    assert "12:30" in text, text


async def test_outside_the_window_without_a_template_nothing_is_sent_and_it_shows(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """No outside_window template: not sent, failed in the outbox, logged, counted on /readyz."""
    app, client = chat
    facu = await link_on_whatsapp(chat, fake_twilio, clock, "Facu")
    clock.advance(hours=24, seconds=1)
    caplog.set_level(logging.WARNING)

    await book_by_api(chat, clock, THU_12_30, "Corte", "Facu", "Juan Pérez", "11 5874-9895")
    await settle(app)

    assert len(creates(fake_twilio, facu.address)) == 1  # only the welcome, a day ago
    async with app.state.uow_factory.read_only() as uow:
        failed = (
            await uow.session.execute(
                select(OutboxRow.chat_id, OutboxRow.last_error).where(OutboxRow.status == "failed")
            )
        ).all()
    assert [chat_id for chat_id, _ in failed] == [facu.address]
    assert "24-hour window" in (failed[0][1] or ""), failed
    logged = [r for r in caplog.records if r.name == "bot.channels.whatsapp"]
    assert any(
        "outside_window" in r.message and "NOT sent" in r.message and r.levelno == logging.WARNING
        for r in logged
    ), caplog.text
    operator = await platform_key(app.state.uow_factory.engine, clock.now())
    ready = (await client.get("/readyz", headers={"Authorization": f"Bearer {operator}"})).json()
    assert ready["outbox"]["failed"] == 1, ready
    assert "24-hour window" in ready["outbox"]["last_failure"], ready


async def test_inside_the_window_the_notification_is_plain_text(
    chat: App, fake_twilio: FakeTwilio, clock: FixedClock, cli: Cli
) -> None:
    """Facu wrote 23 hours ago: the template is configured, but the notice goes as free text."""
    await cli("whatsapp", "template", "don-julio", "outside_window", OUTSIDE_WINDOW)
    facu = await link_on_whatsapp(chat, fake_twilio, clock, "Facu")
    clock.advance(hours=23)

    await book_by_api(chat, clock, THU_12_30, "Corte", "Facu", "Juan Pérez", "11 5874-9895")
    notes = await facu.replies()

    assert len(notes) == 1, notes
    assert "Juan Pérez" in notes[0], notes
    assert "ContentSid" not in creates(fake_twilio, facu.address)[-1]


# ---- which shop a number reaches ----------------------------------------------------------


async def test_the_shops_whatsapp_number_routes_customers_to_that_shop(
    chat: App, fake_twilio: FakeTwilio, uow_factory: UnitOfWorkFactory, cli: Cli
) -> None:
    """`barberpro whatsapp number` per shop: a message to a shop's number talks to that shop."""
    app, client = chat
    await build_shop(uow_factory, slug="la-otra")
    output = await cli("whatsapp", "number", "don-julio", "+54 9 11 4000-1234")
    await cli("whatsapp", "number", "la-otra", "011 15 4000-5678")
    assert "+5491140001234" in output
    async with uow_factory.read_only() as uow:
        numbers = dict(
            (await uow.session.execute(select(ShopRow.slug, ShopRow.whatsapp_number))).all()
        )
    assert numbers == {"don-julio": "+5491140001234", "la-otra": "+5491140005678"}

    other = WhatsAppUser(app, client, fake_twilio, "whatsapp:+5491166660000")
    await other.say("hola", To="whatsapp:+5491140005678")
    lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)
    await lucia.say("hola", To="whatsapp:+5491140001234")

    assert "La-Otra" in other.text(), other.last
    assert "Don Julio" not in other.text(), other.last
    assert "Don Julio" in lucia.text(), lucia.last


async def test_a_shop_number_without_the_mobile_9_still_routes(
    chat: App, fake_twilio: FakeTwilio, uow_factory: UnitOfWorkFactory, cli: Cli
) -> None:
    """A landline sender ("+54 11 4000-5678", WhatsApp id without the 9) reaches its shop."""
    app, client = chat
    await build_shop(uow_factory, slug="la-otra")
    await cli("whatsapp", "number", "la-otra", "+54 11 4000-5678")
    other = WhatsAppUser(app, client, fake_twilio, "whatsapp:+5491166660000")

    await other.say("hola", To="whatsapp:+541140005678")

    assert "La-Otra" in other.text(), other.last


async def test_replies_come_from_the_sender_exactly_as_configured(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
) -> None:
    """BARBERPRO_TWILIO_WHATSAPP_FROM "+54 11 4000-5678" (a landline: no 9) is the From as is."""
    await seed_demo(uow_factory, clock)
    settings = channel_settings(database_url, fake_telegram, fake_twilio).model_copy(
        update={"twilio_whatsapp_from": "+54 11 4000-5678"}
    )
    async with live_app(settings, clock) as (app, client):
        lucia = WhatsAppUser(app, client, fake_twilio, LUCIA)
        await lucia.say("hola", To="whatsapp:+541140005678")

    assert [m["From"] for m in creates(fake_twilio, LUCIA)] == ["whatsapp:+541140005678"]


# ---- storage bug, shown directly ----------------------------------------------------------


async def test_reading_the_shops_templates_raises_no_deprecation_warning(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Every WhatsApp send reads the shop's templates, without a deprecation warning."""
    shop = await build_shop(uow_factory)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)

        assert await whatsapp_templates(uow_factory, shop.shop_id) == {}
