"""The sandbox channel's way out: what the bot says first (reminders, offers) waits in the outbox.

Replies to the sandbox's own requests travel in the HTTP response; a message the bot pushes
unasked is rendered here into an outbox row, and the page (or `barberpro chat`) reads it from
there (`GET /sandbox/chats/{chat_id}/pushes`). Delivering such a row is a no-op: once the
outbox marks it sent it is simply there to be read.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels.base import Inbound, Limits
from conversations.messages import Outgoing
from domain.storage.channels import OutboxItem, OutboxMessage

NAME = "sandbox"


class SandboxChannel:
    """Renders pushes as JSON rows ({"text", "choices"}); "sends" them by leaving them there."""

    name = NAME
    # Local and free: nothing to protect, so limits that never make a message wait.
    limits = Limits(per_second=1000.0, chat_burst=100, chat_per_second=100.0)
    status = "on"

    async def start(self) -> None:
        """Nothing to connect to."""

    async def stop(self) -> None:
        """Nothing to close."""

    def acknowledge(self, inbound: Inbound, *, typing: bool = True) -> None:
        """No spinner or "typing…" to show: the page waits for its own response."""

    def render(
        self,
        replies: Sequence[Outgoing],
        inbound: Inbound | None,
        chat_id: str,
        shop_id: int | None,
        locale: str = "es_AR",
    ) -> list[OutboxMessage]:
        """One outbox row per reply, shaped like a reply of the sandbox endpoint."""
        return [
            OutboxMessage(
                NAME,
                chat_id,
                {
                    "text": reply.text,
                    "choices": [{"id": c.id, "label": c.label} for c in reply.choices],
                },
                shop_id,
            )
            for reply in replies
        ]

    async def send(self, item: OutboxItem) -> str | None:
        """Nothing to deliver to: a row marked sent is one the page can read."""
        return None
