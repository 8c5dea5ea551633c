"""`barberpro chat`: the sandbox channel in a terminal, choices numbered."""

from __future__ import annotations

from collections.abc import Callable

from bot.dispatcher import Dispatcher
from conversations.messages import Choice, Outgoing, UserMessage


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


async def run(
    dispatcher: Dispatcher,
    chat_id: str,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    """Chat until end of input (Ctrl-D) or "/salir"."""
    write("Escribí lo que quieras (o el número de una opción). /salir para terminar.\n")
    turn = await dispatcher.handle("sandbox", chat_id, UserMessage(text="hola"))
    text, choices = render(turn.replies)
    write(text)
    while True:
        try:
            typed = read("> ")
        except EOFError:
            break
        if typed.strip().lower() in {"/salir", "/exit", "/quit"}:
            break
        turn = await dispatcher.handle("sandbox", chat_id, to_message(typed, choices))
        text, choices = render(turn.replies)
        write(text)
    write("¡Chau!")
