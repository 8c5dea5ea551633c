"""Run dialogues on the real app: sandbox chat in, REST API out, one fresh database each."""

from __future__ import annotations

import shutil
import statistics
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.demo import seed_demo
from domain.model import DEFAULT_TIMEZONE
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.tables import Base, WaitlistEntryRow
from domain.storage.uow import UnitOfWorkFactory
from tests.dialogues.script import DEFAULT_NOW, Dialogue, Step, fold
from tests.helpers import FixedClock, platform_key
from tests.web.chat import Chat, sandbox_client

ZONE = ZoneInfo(DEFAULT_TIMEZONE)
SHOP = "don-julio"
ACTIVE = {"held", "confirmed"}
BROKEN = fold("algo salió mal")
CHAT_ID = "dialogue"


def utc(local: datetime) -> datetime:
    """A shop-local wall time as an aware UTC instant."""
    return local.replace(tzinfo=ZONE).astimezone(UTC)


@dataclass
class Exchange:
    """One customer message and everything the bot answered (texts, then buttons)."""

    said: str
    answer: list[str]
    buttons: list[str]


@dataclass
class Verdict:
    """How one dialogue went."""

    dialogue: Dialogue
    problems: list[str] = field(default_factory=list)
    transcript: list[Exchange] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every check held."""
        return not self.problems

    def report(self) -> str:
        """The dialogue as it went, with what went wrong."""
        lines = [f"=== {self.dialogue.id} ({self.dialogue.source})"]
        for exchange in self.transcript:
            lines.append(f"  > {exchange.said}")
            lines.extend(f"    < {line}" for text in exchange.answer for line in text.splitlines())
            if exchange.buttons:
                lines.append(f"    [{' | '.join(exchange.buttons)}]")
        lines.extend(f"  ✗ {problem}" for problem in self.problems)
        return "\n".join(lines)


class Databases:
    """A fresh database with the demo shop for each dialogue, from one seeded template."""

    def __init__(self, migrated_url: str, folder: Path) -> None:
        self.migrated_url = migrated_url
        self.folder = folder
        self.template: Path | None = None
        self.made = 0

    @asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        """The URL of a database holding only the demo shop (seeded on the default clock)."""
        if not is_sqlite(self.migrated_url):
            await _truncate(self.migrated_url)
            await _seed(self.migrated_url)
            yield self.migrated_url
            return
        if self.template is None:
            self.template = self.folder / "dialogue-template.db"
            shutil.copyfile(self.migrated_url.split("///", 1)[1], self.template)
            await _seed(f"sqlite+aiosqlite:///{self.template}")
        # A new file each time: a -wal file left by the one before must not replay into it.
        self.made += 1
        copy = self.folder / f"dialogue-{self.made}.db"
        shutil.copyfile(self.template, copy)
        try:
            yield f"sqlite+aiosqlite:///{copy}"
        finally:
            for leftover in self.folder.glob(f"{copy.name}*"):
                leftover.unlink()


async def _seed(url: str) -> None:
    engine = make_engine(url)
    try:
        await seed_demo(UnitOfWorkFactory(engine), FixedClock(utc(DEFAULT_NOW)), history=False)
    finally:
        await engine.dispose()


async def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


async def run(dialogue: Dialogue, databases: Databases) -> Verdict:
    """Play one dialogue on a fresh app and judge it."""
    verdict = Verdict(dialogue)
    async with databases.fresh() as url:
        engine = make_engine(url)
        clock = FixedClock(utc(dialogue.now))
        try:
            async with sandbox_client(url, clock) as client:
                chat = Chat(client, CHAT_ID)
                if await _set_up(chat, dialogue, verdict):
                    await _play(chat, dialogue, verdict)
                    key = await platform_key(engine, clock.now())
                    client.headers["Authorization"] = f"Bearer {key}"
                    await _judge(client, engine, dialogue, verdict)
        finally:
            await engine.dispose()
    return verdict


async def _set_up(chat: Chat, dialogue: Dialogue, verdict: Verdict) -> bool:
    """Make the customer known and give them their `@ has` turnos, as a chat would have."""
    name = dialogue.known or ("Nico" if dialogue.has else None)
    if name is not None:
        await chat.say("hola")
        await chat.say(name)
        if chat.step != "menu":
            verdict.problems.append(f"setup: the name {name!r} did not land at the menu")
            return False
    for turno in dialogue.has:
        text = f"{turno.service} con {turno.pro} el {turno.day:%d/%m} a las {turno.at:%H:%M}"
        await chat.say(text)
        if chat.step == "payment":
            await chat.tap("Efectivo")
        if chat.step == "confirm":
            await chat.tap("Confirmar")
        if chat.step != "menu" or fold("te reservé") not in fold(chat.text):
            verdict.problems.append(f"setup: could not book {turno} by {text!r}: {chat.text!r}")
            return False
    return True


async def _play(chat: Chat, dialogue: Dialogue, verdict: Verdict) -> None:
    for step in dialogue.steps:
        if step.tap is not None:
            offered = [c for c in chat.choices if fold(c["label"]).startswith(fold(step.tap))]
            if not offered:
                verdict.problems.append(f"no button {step.tap!r} to tap in {chat.labels}")
                verdict.transcript.append(Exchange(str(step), ["(not offered)"], []))
                return
            await chat.tap_id(offered[0]["id"])
        else:
            await chat.say(step.text or "")
        answer = [r["text"] for r in chat.replies]
        verdict.transcript.append(Exchange(str(step), answer, chat.labels))
        _check(step, chat, verdict)


def _check(step: Step, chat: Chat, verdict: Verdict) -> None:
    said = fold(" ".join([r["text"] for r in chat.replies] + chat.labels))
    if BROKEN in said:
        verdict.problems.append(f"after {step}: «algo salió mal»")
    for alternatives in step.expect:
        if not any(_contains(said, wanted) for wanted in alternatives):
            verdict.problems.append(f"after {step}: the answer lacks {' | '.join(alternatives)!r}")
    for unwanted in step.refuse:
        if _contains(said, unwanted):
            verdict.problems.append(f"after {step}: the answer says {unwanted!r}")


def _contains(said: str, wanted: str) -> bool:
    return f" {wanted} " in f" {said} "


async def _judge(
    client: httpx.AsyncClient, engine: AsyncEngine, dialogue: Dialogue, verdict: Verdict
) -> None:
    """The turnos at the end are exactly the expected ones; the waitlist as expected."""
    found = await _active_turnos(client, dialogue)
    expected = dialogue.expected_turnos()
    unmatched = list(found)
    for turno in expected:
        match = next((f for f in unmatched if turno.matches(*f)), None)
        if match is None:
            verdict.problems.append(f"expected {turno}")
        else:
            unmatched.remove(match)
    for service, pro, day, at, name in unmatched:
        verdict.problems.append(
            f"unexpected turno: {service} with {pro} on {day} at {at:%H:%M} for {name}"
        )
    async with engine.connect() as connection:
        waiting = await connection.scalar(select(func.count()).select_from(WaitlistEntryRow))
    if dialogue.waitlist and not waiting:
        verdict.problems.append("expected a waitlist entry")
    if waiting and not dialogue.waitlist:
        verdict.problems.append("unexpected waitlist entry")


async def _active_turnos(client: httpx.AsyncClient, dialogue: Dialogue) -> list[tuple[Any, ...]]:
    first = min([dialogue.now.date(), *(t.day for t in dialogue.has)])
    last = first + timedelta(days=61)
    params: dict[str, str | int] = {"from": first.isoformat(), "to": last.isoformat(), "limit": 200}
    response = await client.get(f"/api/v1/shops/{SHOP}/bookings", params=params)
    response.raise_for_status()
    turnos = []
    for booking in response.json()["bookings"]:
        if booking["status"] not in ACTIVE or booking["channel"] != "sandbox":
            continue
        start = datetime.fromisoformat(booking["start"]).astimezone(ZONE)
        pro = booking["professional"]["nickname"] or booking["professional"]["name"]
        name = booking["customer"]["name"]
        turnos.append((booking["service"]["name"], pro, start.date(), start.time(), name))
    return turnos


async def run_all(
    dialogues: Sequence[Dialogue],
    databases: Databases,
    progress: Callable[[Verdict], None] | None = None,
) -> list[Verdict]:
    """Every dialogue, one after the other."""
    verdicts = []
    for dialogue in dialogues:
        verdict = await run(dialogue, databases)
        verdicts.append(verdict)
        if progress is not None:
            progress(verdict)
    return verdicts


def score(verdicts: Sequence[Verdict]) -> float:
    """The share of dialogues that passed."""
    return sum(v.passed for v in verdicts) / len(verdicts) if verdicts else 0.0


def messages_per_booking(verdicts: Sequence[Verdict]) -> float | None:
    """The median number of customer messages in passed dialogues that book one new turno."""
    counts = [
        len(v.dialogue.steps)
        for v in verdicts
        if v.passed and len(v.dialogue.booked) == 1 and not v.dialogue.has
    ]
    return statistics.median(counts) if counts else None


def summary(title: str, verdicts: Sequence[Verdict], *, details: bool = True) -> str:
    """The score, the messages a booking takes, and (with `details`) every failure."""
    median = messages_per_booking(verdicts)
    per_booking = f"; median {median:g} customer messages per booking" if median else ""
    lines = [f"{title}: {score(verdicts):.1%} of {len(verdicts)} dialogues passed{per_booking}"]
    if details:
        lines.extend(v.report() for v in verdicts if not v.passed)
    return "\n".join(lines)
