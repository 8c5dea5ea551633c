"""What every channel adapter produces and consumes, in channel-neutral terms."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Inbound:
    """One message from a person, as parsed from a channel's payload.

    `external_id` is the channel's own id for the delivery (Telegram `update_id`, Twilio
    `MessageSid`): the inbox keeps it unique so a replayed webhook has one effect.
    `chat_id` is where replies go (Telegram chat id; WhatsApp: the exact inbound `From`).
    """

    channel: str
    external_id: str
    chat_id: str
    text: str = ""
    choice_id: str | None = None
    user_id: str | None = None  # Telegram user id; WhatsApp number in E.164
    first_name: str | None = None
    contact_phone: str | None = None  # a phone the person shared as their own (E.164 or raw)
    start_payload: str | None = None  # Telegram deep link: "/start shop_x" → "shop_x"
    callback_query_id: str | None = None  # Telegram: a tapped inline button, to be answered
    message_id: int | None = None  # Telegram: the bot message whose button was tapped
    to_address: str | None = None  # WhatsApp: the shop's number the message was sent to
    language_code: str | None = None
    attachment: str | None = (
        None  # a photo or document sent: "telegram:<file_id>" / "whatsapp:<url>"
    )


def without_nul(inbound: Inbound) -> Inbound:
    """The message with NUL characters dropped from its texts (PostgreSQL cannot store them)."""
    changes: dict[str, Any] = {
        field.name: value.replace("\x00", "")
        for field in fields(inbound)
        if isinstance(value := getattr(inbound, field.name), str) and "\x00" in value
    }
    return replace(inbound, **changes) if changes else inbound


class DeliveryError(Exception):
    """A send that did not go through; the outbox decides what happens next."""


class RetryLater(DeliveryError):
    """Try again after `after` seconds (a 429's retry_after, a 5xx, a network hiccup).

    `whole_channel` pauses every send on the channel (Telegram's flood control applies to the
    bot, not to one chat).
    """

    def __init__(self, reason: str, after: float | None = None, whole_channel: bool = False):
        super().__init__(reason)
        self.after = after
        self.whole_channel = whole_channel


class GiveUp(DeliveryError):
    """A permanent refusal (the person blocked the bot, a bad number): record it, stop trying."""


@dataclass(frozen=True)
class Limits:
    """How fast a channel may send: overall, and per chat (a short burst, then a steady rate)."""

    per_second: float
    chat_burst: int
    chat_per_second: float
