"""Random conversations against the real app: no input may reach «algo salió mal» or a 500.

Hypothesis drives chats made of random steps: texts glued from fragments of how people write to
a barbershop (and of how they write nonsense), taps on whatever is on offer, stale taps, and the
clock moving on between messages. The examples are derandomized so a run never flakes: the same
conversations every time, chosen by Hypothesis once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.demo import seed_demo
from domain.storage.engine import make_engine
from domain.storage.uow import UnitOfWorkFactory
from tests.dialogues.script import fold
from tests.helpers import FixedClock
from tests.web.chat import sandbox_client

BROKEN = fold("algo salió mal")
EXAMPLES = 150

# What a message to a barbershop is made of; a message takes at most one of each, in this order.
GREETINGS = ("hola", "buenas", "Hola! Diego", "soy Mauro", "Seba acá", "che", "hi")
ASKS = (
    "quiero un turno", "tenés algo", "cuánto sale", "¿y con barba?", "dónde queda",
    "hasta qué hora abren", "abren el domingo", "quién hace color", "mis turnos",
    "cancelame el del jueves", "pasalo", "pará, en realidad quiero cancelar", "lo de siempre",
    "para mí y mi hermano", "lista de espera", "hablar con alguien", "ayuda", "ya transferí",
    "can I get a haircut", "cancel my appointment",
)  # fmt: skip
SERVICES = ("corte", "barba", "corte y barba", "color", "la clase", "✂️", "💈", "🧔", "haircut")
WHO = ("con tincho", "con facu", "con lu", "con pablo", "con el gordo", "cualquiera", "anyone")
DAYS = (
    "hoy", "mañana", "pasado mañana", "el viernes", "el sábado", "el domingo", "el lunes",
    "el 8", "8/12", "31/02", "25/12", "la semana que viene", "otro día", "tomorrow",
)  # fmt: skip
TIMES = (
    "a las 5", "a las 17:30", "a las 21", "a las 25", "a las 8 de la mañana", "tipo 7",
    "a la tarde", "a la tardecita", "a la mañana", "ahora", "ya", "más tarde",
    "la primera que tengas", "a la misma hora", "3pm",
)  # fmt: skip
ANSWERS = (
    "sí", "no", "dale", "confirmo", "👍", "efectivo", "transferencia", "mercado pago", "cash",
    "yes", "1", "2", "3", "7", "99", "dos", "la segunda", "?", "el que sea", "volver", "menú",
    "cancelar", "gracias", "chau", "no, mejor el viernes", "asdfgh", "jkjkjk", "😂",
    "'; DROP TABLE shops;--", "\u0000", "🙂" * 30, "bla " * 300,
)  # fmt: skip


def _maybe(options: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.sampled_from(options))


texts = st.one_of(
    st.sampled_from(ANSWERS),
    st.tuples(*(_maybe(part) for part in (GREETINGS, ASKS, SERVICES, WHO, DAYS, TIMES))).map(
        lambda parts: " ".join(p for p in parts if p) or "hola"
    ),
)


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class Tap:
    index: int  # of the choices on offer, modulo how many there are


@dataclass(frozen=True)
class StaleTap:
    choice_id: str


@dataclass(frozen=True)
class Wait:
    hours: int


steps = st.one_of(
    texts.map(Say),
    texts.map(Say),
    st.integers(0, 20).map(Tap),
    st.integers(0, 20).map(Tap),
    st.sampled_from(["1.book", "99.svc.1", "back", "nonsense", ""]).map(StaleTap),
    st.integers(1, 30).map(Wait),
)
conversations = st.lists(steps, min_size=1, max_size=12)


@dataclass
class Running:
    """The app on one event loop, shared by every example (each example is a new chat)."""

    loop: asyncio.AbstractEventLoop
    client: httpx.AsyncClient
    clock: FixedClock
    chats: int = 0


@pytest.fixture
def running(database_url: str, clock: FixedClock) -> Iterator[Running]:
    """The real app with the sandbox on and the demo shop, on a loop the examples drive."""
    loop = asyncio.new_event_loop()
    engine = make_engine(database_url)
    loop.run_until_complete(seed_demo(UnitOfWorkFactory(engine), clock, history=False))
    # Every example is a new chat from the same address: far past the new-chat budget.
    serving = sandbox_client(database_url, clock, rate_limit_sandbox_new_chats="off")
    client = loop.run_until_complete(serving.__aenter__())
    try:
        yield Running(loop, client, clock)
    finally:
        loop.run_until_complete(serving.__aexit__(None, None, None))
        loop.run_until_complete(engine.dispose())
        loop.close()


async def play(running: Running, conversation: list[Say | Tap | StaleTap | Wait]) -> None:
    """One chat through the sandbox endpoint; fails on a 500 or «algo salió mal»."""
    running.chats += 1
    url = f"/sandbox/chats/random-{running.chats}/messages"
    choices: list[str] = []
    for step in conversation:
        if isinstance(step, Wait):
            running.clock.advance(hours=step.hours)
            continue
        if isinstance(step, Say):
            body = {"text": step.text}
        elif isinstance(step, Tap):
            if not choices:
                continue
            body = {"choice": choices[step.index % len(choices)]}
        else:
            body = {"choice": step.choice_id}
        response = await running.client.post(url, json=body)
        assert response.status_code in (200, 422), (step, response.status_code, response.text)
        if response.status_code == 422:
            continue  # a body the endpoint refuses (a NUL, an empty choice): said so, nothing lost
        replies = response.json()["replies"]
        said = fold(" ".join(r["text"] for r in replies))
        assert BROKEN not in said, (conversation, step, replies)
        choices = [c["id"] for r in replies for c in r["choices"]]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(conversation=conversations)
def test_no_random_conversation_ends_in_an_unexpected_error(
    running: Running, conversation: list[Say | Tap | StaleTap | Wait]
) -> None:
    running.loop.run_until_complete(play(running, conversation))
