"""The statement budget of a chat turn: what the database runs for each message of the main flows.

Every statement of a turn is a round trip (a network one on PostgreSQL) and costs more Python
than the statement itself, so the count is part of a turn's cost. The table below is the
budget: a change that adds statements to a turn fails here until the table says so (and the
commit says why); one that removes some updates it too.

Counted: every statement the app's engine runs on behalf of the request, transaction control
included (BEGIN IMMEDIATE on SQLite, advisory locks on PostgreSQL), but for SQLite's
`PRAGMA synchronous` (no round trip: it sets how the connection commits, and whether it runs
depends on which pooled connection the turn gets).
The loops running beside (outbox, job loop) are not counted: they run in their own tasks,
outside the request's context.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.web.chat import Chat

pytestmark = pytest.mark.usefixtures("demo")

_COUNTING: ContextVar[list[str] | None] = ContextVar("counting", default=None)

# (what the customer does, statements on SQLite, statements on PostgreSQL)
BUDGET: list[tuple[str, int, int]] = [
    # First contact: the shop's catalog is read (then kept 30 s), the conversation row is new;
    # the sandbox asks first whether the chat exists (new chats have a budget per address).
    ("say hola", 12, 11),
    # The name: the customer is created and known by the shop, then the state saved.
    ("say Carla", 9, 7),
    # A plain step: the conversation and customer in one read, the state in one write (SQLite
    # counts its BEGIN IMMEDIATE; asyncpg begins without a statement).
    ("tap Sacar turno", 3, 2),
    ("tap Corte ·", 3, 2),
    # Anyone: the days with a free slot (shop, service, hours, time off, busy times, days).
    ("tap Cualquiera", 9, 8),
    # A day: its free times.
    ("tap first", 9, 8),
    ("tap first", 3, 2),
    ("tap Efectivo", 3, 2),
    # The booking: its own transaction (locks, checks, insert, event), then the state.
    ("tap Confirmar", 20, 22),
    ("tap Mis turnos", 3, 2),
    ("tap first", 3, 2),
    ("tap Cancelarlo", 3, 2),
    ("tap Sí, cancelalo", 10, 8),
    # Free text that books in one go: days, then that day's times, searched in one turn.
    ("say un corte con Tincho el viernes a las 11", 15, 14),
]


@contextmanager
def counting(app: FastAPI) -> Iterator[list[str]]:
    """Statements the engine runs inside this block's context (this task and its children)."""

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found = _COUNTING.get()
        if found is not None and not statement.startswith("PRAGMA"):
            found.append(statement)

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    found: list[str] = []
    token = _COUNTING.set(found)
    try:
        yield found
    finally:
        _COUNTING.reset(token)
        event.remove(engine, "before_cursor_execute", record)


async def act(chat: Chat, action: str) -> None:
    """Do one step of the budget table."""
    verb, _, what = action.partition(" ")
    if verb == "say":
        await chat.say(what)
    elif what == "first":
        await chat.tap_first()
    else:
        await chat.tap(what)


async def test_each_turn_runs_the_statements_its_budget_says(
    app: FastAPI, web: Any, dialect: str
) -> None:
    chat = Chat(web, "budget-1")
    spent: list[tuple[str, int, list[str]]] = []
    for action, _sqlite, _postgres in BUDGET:
        with counting(app) as statements:
            await act(chat, action)
        spent.append((action, len(statements), statements))
    # The free text got as far as paying (the demo shop asks how).
    assert chat.step in ("payment", "confirm"), chat.text
    column = 1 if dialect == "sqlite" else 2
    expected = [(row[0], row[column]) for row in BUDGET]
    actual = [(action, count) for action, count, _ in spent]
    detail = "\n".join(
        f"{action}: {count}\n    " + "\n    ".join(s.split("\n")[0][:100] for s in statements)
        for action, count, statements in spent
    )
    assert actual == expected, detail
