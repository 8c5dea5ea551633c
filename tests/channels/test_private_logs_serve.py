"""The real `barberpro serve` with JSON logs: one object per line, each HTTP request's id in its
lines and in its answer, and no phone, name or message text in anything it wrote, uvicorn's
access lines and the third-party libraries included."""

from __future__ import annotations

import itertools
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.demo import seed_demo
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import SECRET, TOKEN, WHATSAPP_FROM
from tests.channels.test_private_logs import TELEGRAM_CHAT, leaks
from tests.channels.test_restart import PUBLIC_URL, Server, eventually
from tests.fakes.mercadopago_api import TEST_ACCESS_TOKEN, TEST_WEBHOOK_SECRET, FakeMercadoPago
from tests.fakes.telegram_api import REPO_ROOT, FakeTelegram, contact_update, text_update
from tests.fakes.twilio_api import FakeTwilio, inbound_form, sign
from tests.helpers import FixedClock

WHATSAPP_ADDRESS = "whatsapp:+5491172849361"
TELEGRAM_PHONE = "+54 9 11 6123-4987"
_ids = itertools.count(700_001)


@pytest.fixture
def fake_mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
def json_server(
    database_url: str,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake_mp: FakeMercadoPago,
    tmp_path: Path,
) -> Iterator[Server]:
    """`barberpro serve` with JSON logs, every channel and Mercado Pago on the fakes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(
        BARBERPRO_DATABASE_URL=database_url,
        BARBERPRO_PUBLIC_URL=PUBLIC_URL,
        BARBERPRO_LOG_FORMAT="json",
        BARBERPRO_SANDBOX="1",
        BARBERPRO_TELEGRAM_TOKEN=TOKEN,
        BARBERPRO_TELEGRAM_WEBHOOK_SECRET=SECRET,
        BARBERPRO_TELEGRAM_API_URL=fake_telegram.url,
        BARBERPRO_TWILIO_ACCOUNT_SID=fake_twilio.account_sid,
        BARBERPRO_TWILIO_AUTH_TOKEN=fake_twilio.auth_token,
        BARBERPRO_TWILIO_WHATSAPP_FROM=WHATSAPP_FROM,
        BARBERPRO_TWILIO_API_URL=fake_twilio.url,
        BARBERPRO_MERCADOPAGO_ACCESS_TOKEN=TEST_ACCESS_TOKEN,
        BARBERPRO_MERCADOPAGO_WEBHOOK_SECRET=TEST_WEBHOOK_SECRET,
        BARBERPRO_MERCADOPAGO_API_URL=fake_mp.url,
        PYTHONUNBUFFERED="1",  # uvicorn's access lines go to stdout: every line in the file
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p),
    )
    server = Server(env, tmp_path)
    try:
        yield server
    finally:
        server.kill()


def stop(server: Server) -> list[dict[str, Any]]:
    """Stop the server as an operator would (SIGTERM) and read its log, a JSON object a line."""
    process = server.process
    assert process is not None
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    lines = server.log.read_text().splitlines()
    entries = []
    for line in lines:
        entry = json.loads(line)  # fails on any line that is not one JSON object
        assert isinstance(entry, dict), line
        entries.append(entry)
    return entries


async def test_serve_logs_json_lines_with_request_ids_and_no_personal_data(
    json_server: Server,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
    fake_twilio: FakeTwilio,
    fake_mp: FakeMercadoPago,
) -> None:
    await seed_demo(uow_factory, clock, history=False)
    json_server.start()
    said = ["hola, buen día", "Rigoberta", "hola, buenas tardes", "Eustaquia", "corte y barba"]
    async with httpx.AsyncClient(base_url=json_server.url) as client:
        sandbox = await client.post(
            "/sandbox/chats/walk/messages",
            json={"text": "corte y barba"},
            headers={"X-Request-ID": "walk-1"},
        )
        unnamed = await client.get("/healthz", headers={"X-Request-ID": "no spaces\tplease"})
        for text in ("hola, buen día", "Rigoberta"):
            update = text_update(next(_ids), TELEGRAM_CHAT, text, "Rigoberta")
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            assert (
                await client.post("/webhooks/telegram", json=update, headers=headers)
            ).is_success
        update = contact_update(next(_ids), TELEGRAM_CHAT, TELEGRAM_PHONE, first_name="Rigoberta")
        assert (await client.post("/webhooks/telegram", json=update, headers=headers)).is_success
        for n, text in enumerate(("hola, buenas tardes", "Eustaquia")):
            form = inbound_form(
                f"SM{n + 1:032x}", WHATSAPP_ADDRESS, text, WHATSAPP_FROM, "Eustaquia"
            )
            signature = sign(fake_twilio.auth_token, f"{PUBLIC_URL}/webhooks/whatsapp", form)
            answer = await client.post(
                "/webhooks/whatsapp", data=form, headers={"X-Twilio-Signature": signature}
            )
            assert answer.is_success, answer.text
        path, headers, body = fake_mp.notification(987654321)  # a payment not of ours
        await client.post(path, json=body, headers=headers)
        customers = await client.get(
            "/admin/customers", params={"q": "Eustaquia 1172849361"}, follow_redirects=False
        )

    async def answered() -> bool | None:
        telegram = len(fake_telegram.sent(TELEGRAM_CHAT)) >= 3
        whatsapp = len(fake_twilio.sent(WHATSAPP_ADDRESS)) >= 2
        return True if telegram and whatsapp else None

    await eventually(answered, "the bot's answers on Telegram and WhatsApp", json_server)
    entries = stop(json_server)

    assert sandbox.headers["X-Request-ID"] == "walk-1"
    assert len(unnamed.headers["X-Request-ID"]) == 32, "an unusable id is replaced"
    assert customers.status_code in (302, 303, 401), customers.status_code
    assert {"time", "level", "logger", "message", "request_id"} <= set(entries[0])
    [access] = [e for e in entries if "/sandbox/chats/walk/messages" in e["message"]]
    assert access["logger"] == "uvicorn.access"
    assert access["request_id"] == "walk-1"
    assert any("/admin/customers?…" in e["message"] for e in entries), "the query left out"
    replies = [c["params"].get("text", "") for c in fake_telegram.sent(TELEGRAM_CHAT)]
    replies += [c["params"].get("Body", "") for c in fake_twilio.sent(WHATSAPP_ADDRESS)]
    replies += [r["text"] for r in sandbox.json()["replies"]]
    texts = said + [line for r in replies for line in r.splitlines() if len(line) >= 12]
    assert len(texts) > 8, texts
    written = json_server.log.read_text()
    assert not leaks(written, texts), (leaks(written, texts), written[-3000:])
