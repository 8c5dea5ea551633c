"""What goes in and out of the engine: channel-neutral messages, choices and events."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """An option offered to the person; `value` carries machine data (e.g. a slot's ISO start)."""

    id: str
    label: str
    value: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message to send: text plus the choices that answer it."""

    text: str
    choices: tuple[Choice, ...] = ()
    # Another page of the question just asked ("Más tarde"): a channel that can edit its
    # earlier message shows this one in its place instead of sending a new one.
    page: bool = False


@dataclass(frozen=True)
class UserMessage:
    """What the person sent: free text, a tapped choice id, or both."""

    text: str = ""
    choice_id: str | None = None
    attachment: str | None = None  # a photo or document the person sent (a receipt, say)


# Ids of the choices available at every step (they never go stale).
BACK = "back"
QUIT = "quit"
MENU = "menu"
