"""`barberpro chat`: the sandbox channel in a terminal, choices numbered.

What the bot pushes to the chat unasked (reminders, offers) while it runs is printed with the
next answer, before the prompt; what was pushed before it started is not replayed.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.dispatcher import Dispatcher
from conversations.messages import Choice, Outgoing, UserMessage
from domain.storage.channels import last_pushed_id, pushed_messages

CHANNEL = "sandbox"


def render(replies: tuple[Outgoing, ...]) -> tuple[str, list[Choice]]:
    """The bot's replies as terminal text, and the choices the numbers stand for."""
    lines: list[str] = []
    numbered: list[Choice] = []
    for reply in replies:
        lines.append(f"💈 {reply.text}")
        for choice in reply.choices:
            numbered.append(choice)
            lines.append(f"   {len(numbered)}. {choice.label}")
    return "\n".join(lines), numbered


def to_message(typed: str, choices: list[Choice]) -> UserMessage:
    """A number picks the choice shown with it; anything else is sent as text."""
    stripped = typed.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return UserMessage(choice_id=choices[int(stripped) - 1].id)
    return UserMessage(text=typed)


async def pushed_since(
    dispatcher: Dispatcher, chat_id: str, after: int
) -> tuple[tuple[Outgoing, ...], int]:
    """The chat's pushes after id `after`, as replies, and the id of the newest one."""
    found = await pushed_messages(dispatcher.uow_factory, CHANNEL, chat_id, after, limit=50)
    replies = tuple(
        Outgoing(
            str(push.payload.get("text", "")),
            tuple(Choice(c["id"], c["label"]) for c in push.payload.get("choices", ())),
        )
        for push in found
    )
    return replies, found[-1].id if found else after


async def run(
    dispatcher: Dispatcher,
    chat_id: str,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    shop_id: int | None = None,
) -> None:
    """Chat until end of input (Ctrl-D) or "/salir"; with `shop_id`, with that shop."""
    write("Escribí lo que quieras (o el número de una opción). /salir para terminar.\n")
    seen = await last_pushed_id(dispatcher.uow_factory, CHANNEL, chat_id)
    hello = UserMessage(text="hola")
    turn = await dispatcher.handle(CHANNEL, chat_id, hello, shop_id=shop_id)
    pushed, seen = await pushed_since(dispatcher, chat_id, seen)
    text, choices = render(turn.replies + pushed)
    write(text)
    while True:
        try:
            typed = read("> ")
        except EOFError:
            break
        if typed.strip().lower() in {"/salir", "/exit", "/quit"}:
            break
        turn = await dispatcher.handle(CHANNEL, chat_id, to_message(typed, choices))
        pushed, seen = await pushed_since(dispatcher, chat_id, seen)
        text, choices = render(turn.replies + pushed)
        write(text)
    write("¡Chau!")
