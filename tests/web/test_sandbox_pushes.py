"""What the bot says first to a sandbox chat (reminders, offers): queued in the outbox like on
any channel, "delivered" by the sandbox channel, and read by the page from the pushes endpoint.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from bot.channels.sandbox import SandboxChannel
from bot.dispatcher import Dispatcher
from bot.terminal_chat import run
from conversations.messages import Choice, Outgoing
from domain.storage.channels import OutboxMessage, enqueue_messages, mark_failed
from domain.storage.engine import make_engine
from domain.storage.tables import OutboxRow
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import settle
from tests.helpers import FixedClock
from tests.web.test_sandbox_page import sandbox_page

pytestmark = pytest.mark.usefixtures("demo")

REMINDER = Outgoing(
    "Te recuerdo tu turno de mañana a las 16:00 con Tincho.",
    (Choice("reminder.confirm", "Confirmo"), Choice("reminder.cancel", "Cancelar")),
)
OFFER = Outgoing("Se liberó un turno: hoy 18:00.", (Choice("offer.take", "Lo quiero"),))


async def push(app: FastAPI, chat_id: str, *replies: Outgoing) -> None:
    """Queue what the bot says unasked to a sandbox chat, the way a reminder would."""
    channel = app.state.channels["sandbox"]
    messages = channel.render(replies, None, chat_id, None, "es_AR")
    await enqueue_messages(app.state.uow_factory, messages, app.state.clock.now())
    app.state.outbox.wake()


async def pushes(web: httpx.AsyncClient, chat_id: str, after: int | None = None) -> list[dict]:
    """The pushes endpoint's list for a chat."""
    query = "" if after is None else f"?after={after}"
    response = await web.get(f"/sandbox/chats/{chat_id}/pushes{query}")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"pushes"}
    return list(response.json()["pushes"])


async def statuses(uow_factory: UnitOfWorkFactory) -> list[str]:
    """Every outbox row's status, by id."""
    async with uow_factory.read_only() as uow:
        return list(await uow.session.scalars(select(OutboxRow.status).order_by(OutboxRow.id)))


def test_the_sandbox_channel_renders_one_json_row_per_reply_and_sends_nothing() -> None:
    channel = SandboxChannel()

    rows = channel.render([REMINDER, Outgoing("Chau")], None, "juan", 7, "es_AR")

    assert rows == [
        OutboxMessage(
            "sandbox",
            "juan",
            {
                "text": REMINDER.text,
                "choices": [
                    {"id": "reminder.confirm", "label": "Confirmo"},
                    {"id": "reminder.cancel", "label": "Cancelar"},
                ],
            },
            7,
        ),
        OutboxMessage("sandbox", "juan", {"text": "Chau", "choices": []}, 7),
    ]
    assert channel.status == "on"


async def test_the_outbox_delivers_pushes_and_the_chat_reads_each_once_in_order(
    app: FastAPI, web: httpx.AsyncClient
) -> None:
    await push(app, "juan", REMINDER)
    await push(app, "ana", OFFER)
    await push(app, "juan", OFFER, Outgoing("¿Te sirve?"))
    await settle(app)

    assert await statuses(app.state.uow_factory) == ["sent"] * 4
    everything = await pushes(web, "juan")
    assert [p["text"] for p in everything] == [REMINDER.text, OFFER.text, "¿Te sirve?"]
    assert everything[0]["choices"] == [
        {"id": "reminder.confirm", "label": "Confirmo"},
        {"id": "reminder.cancel", "label": "Cancelar"},
    ]
    assert everything[1]["choices"] == [{"id": "offer.take", "label": "Lo quiero"}]
    assert everything[2]["choices"] == []
    ids = [p["id"] for p in everything]
    assert ids == sorted(ids)
    assert await pushes(web, "juan", after=0) == everything
    assert await pushes(web, "juan", after=ids[0]) == everything[1:]
    assert await pushes(web, "juan", after=ids[1]) == everything[2:]
    assert await pushes(web, "juan", after=ids[-1]) == []
    assert await pushes(web, "juan", after=ids[-1] + 1000) == []
    [for_ana] = await pushes(web, "ana")
    assert for_ana["text"] == OFFER.text
    assert for_ana["id"] not in ids


async def test_a_push_shows_before_it_is_delivered_but_not_once_it_failed(
    app: FastAPI, web: httpx.AsyncClient
) -> None:
    await app.state.outbox.stop()  # nothing delivers: the rows stay pending
    await push(app, "juan", REMINDER, OFFER)

    first, second = await pushes(web, "juan")
    assert await statuses(app.state.uow_factory) == ["pending", "pending"]
    await mark_failed(app.state.uow_factory, first["id"], "test", app.state.clock.now())

    assert await pushes(web, "juan") == [second]


async def test_pushes_come_fifty_at_a_time(app: FastAPI, web: httpx.AsyncClient) -> None:
    await push(app, "juan", *[Outgoing(f"aviso {n}") for n in range(60)])
    await settle(app)

    page = await pushes(web, "juan")
    rest = await pushes(web, "juan", after=page[-1]["id"])

    assert len(page) == 50
    assert [p["text"] for p in page + rest] == [f"aviso {n}" for n in range(60)]


@pytest.mark.parametrize("after", ["-1", "x", "1.5", str(2**31), ""])
async def test_a_bad_after_is_a_json_422(web: httpx.AsyncClient, after: str) -> None:
    response = await web.get(f"/sandbox/chats/juan/pushes?after={after}")

    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"


async def test_a_bad_chat_id_is_refused(web: httpx.AsyncClient) -> None:
    response = await web.get("/sandbox/chats/a%20b/pushes")

    assert response.status_code == 422, response.text


async def test_without_the_sandbox_there_are_no_pushes_and_no_sandbox_channel(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await anonymous.get("/sandbox/chats/juan/pushes")
    ready = await anonymous.get("/readyz")

    assert response.status_code == 404
    assert ready.json()["channels"]["sandbox"] == "off"


async def test_with_the_sandbox_on_the_app_is_ready_and_the_chat_still_answers(
    app: FastAPI, web: httpx.AsyncClient
) -> None:
    ready = await web.get("/readyz")
    reply = await web.post("/sandbox/chats/juan/messages", json={"text": "hola"})
    await settle(app)

    assert ready.status_code == 200, ready.text
    assert ready.json()["channels"]["sandbox"] == "on"
    assert ready.json()["outbox"]["pending"] == 0
    assert reply.status_code == 200
    # Replies travel in the response, never through the outbox: nothing to read twice.
    assert await pushes(web, "juan") == []
    assert await statuses(app.state.uow_factory) == []


async def test_the_page_polls_for_pushes_while_visible_and_remembers_the_last(
    web: httpx.AsyncClient,
) -> None:
    _, tags = await sandbox_page(web)

    assert "/pushes?after=" in tags.script
    assert "visibilityState" in tags.script
    assert "setInterval(poll, POLL_MS)" in tags.script
    assert "const POLL_MS = 2000;" in tags.script
    assert "lastPush" in tags.script


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
async def test_the_pages_script_parses(web: httpx.AsyncClient, tmp_path: Path) -> None:
    _, tags = await sandbox_page(web)
    script = tmp_path / "sandbox.js"
    script.write_text(tags.script, encoding="utf-8")

    node = await asyncio.create_subprocess_exec(
        "node", "--check", str(script), stderr=asyncio.subprocess.PIPE
    )
    _, problems = await node.communicate()

    assert node.returncode == 0, problems.decode()


async def test_the_terminal_chat_prints_new_pushes_with_its_next_answer_numbered(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str
) -> None:
    old = SandboxChannel().render([Outgoing("un aviso de antes")], None, "terminal", None)
    await enqueue_messages(uow_factory, old, clock.now())
    typed = iter(["Juan", "/salir"])
    shown: list[str] = []

    def read(prompt: str) -> str:
        answer = next(typed)
        if answer == "Juan":  # while the person types, the bot pushes a reminder
            new = SandboxChannel().render([REMINDER], None, "terminal", None)
            in_another_thread(database_url, new, clock)
        return answer

    await run(Dispatcher(uow_factory, clock), "terminal", read, shown.append)

    transcript = "\n".join(shown)
    assert "un aviso de antes" not in transcript
    assert transcript.count(REMINDER.text) == 1
    after_name = shown[2]
    assert after_name.index("Sacar turno") < after_name.index(REMINDER.text)
    assert after_name.endswith("   5. Confirmo\n   6. Cancelar"), after_name


def in_another_thread(database_url: str, messages: list[OutboxMessage], clock: FixedClock) -> None:
    """Queue messages from another thread and engine (the terminal's loop is blocked reading)."""

    async def enqueue() -> None:
        engine = make_engine(database_url)
        try:
            await enqueue_messages(UnitOfWorkFactory(engine), messages, clock.now())
        finally:
            await engine.dispose()

    thread = threading.Thread(target=asyncio.run, args=(enqueue(),))
    thread.start()
    thread.join()
