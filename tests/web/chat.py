"""A tiny driver for sandbox transcripts: say things, tap choices by label, read the state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from bot.settings import Settings
from tests.helpers import FixedClock
from web.app import create_app


@asynccontextmanager
async def sandbox_app(
    database_url: str, clock: FixedClock, **changes: Any
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app with the sandbox channel on, lifespan (and so its loops) running on the test's
    clock, and a client on it; `changes`: other settings (rate limits, say)."""
    settings = Settings(database_url=database_url, sandbox=True, _env_file=None, **changes)  # type: ignore[call-arg]
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, client


@asynccontextmanager
async def sandbox_client(
    database_url: str, clock: FixedClock, **changes: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on a running app (lifespan included) with the sandbox channel on; `changes`:
    other settings."""
    async with sandbox_app(database_url, clock, **changes) as (_, client):
        yield client


async def background_round(app: FastAPI, rounds: int = 1) -> None:
    """What the loops do between messages: act on booking events (they plan jobs), run due
    jobs, deliver; `rounds` > 1 when a job's own effects are events to act on in turn."""
    for _ in range(rounds):
        await app.state.outbox.run_once()
        await app.state.jobs.run_once()
    await app.state.outbox.run_once()
    await app.state.outbox.drain()


async def pushes(web: httpx.AsyncClient, chat_id: str) -> list[dict[str, Any]]:
    """What the bot wrote first to a sandbox chat (reminders, offers), oldest first."""
    response = await web.get(f"/sandbox/chats/{chat_id}/pushes")
    assert response.status_code == 200, response.text
    return list(response.json()["pushes"])


@dataclass
class Chat:
    """One customer chatting through the sandbox endpoint."""

    client: httpx.AsyncClient
    chat_id: str
    replies: list[dict[str, Any]] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)

    async def say(self, text: str) -> Chat:
        """Send free text."""
        return await self._post({"text": text})

    async def tap(self, label: str) -> Chat:
        """Tap the choice whose label starts with `label` (from the latest replies)."""
        matches = [c for c in self.choices if c["label"].startswith(label)]
        assert matches, f"no choice {label!r} in {[c['label'] for c in self.choices]}"
        return await self._post({"choice": matches[0]["id"]})

    async def tap_id(self, choice_id: str) -> Chat:
        """Send a raw choice id (even a stale or made-up one)."""
        return await self._post({"choice": choice_id})

    async def tap_first(self) -> Chat:
        """Tap the first choice offered."""
        return await self._post({"choice": self.choices[0]["id"]})

    @property
    def choices(self) -> list[dict[str, str]]:
        """The choices of the latest replies."""
        return [c for r in self.replies for c in r["choices"]]

    @property
    def labels(self) -> list[str]:
        """The labels of the latest choices."""
        return [c["label"] for c in self.choices]

    @property
    def text(self) -> str:
        """All the latest replies' text, joined."""
        return "\n".join(r["text"] for r in self.replies)

    @property
    def step(self) -> str:
        """The conversation's step."""
        return str(self.state["step"])

    async def _post(self, body: dict[str, str]) -> Chat:
        response = await self.client.post(f"/sandbox/chats/{self.chat_id}/messages", json=body)
        assert response.status_code == 200, response.text
        data = response.json()
        self.replies, self.state = data["replies"], data["state"]
        return self


async def customer(client: httpx.AsyncClient, chat_id: str, name: str) -> Chat:
    """A chat past the greeting: said hello, gave its name, sitting at the menu."""
    chat = Chat(client, chat_id)
    await chat.say("hola")
    await chat.say(name)
    assert chat.step == "menu", chat.text
    return chat


async def taps(chat: Chat, *labels: str) -> Chat:
    """Tap one choice after the other, each by the start of its label."""
    for label in labels:
        await chat.tap(label)
    return chat


async def bookings_of(api: httpx.AsyncClient, name: str) -> list[dict[str, Any]]:
    """Every booking of a customer as the REST API shows it, oldest id first (ids scanned)."""
    found = []
    for booking_id in range(1, 30):
        response = await api.get(f"/api/v1/bookings/{booking_id}")
        if response.status_code == 200 and response.json()["customer"]["name"] == name:
            found.append(response.json())
    return found
