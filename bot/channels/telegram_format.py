"""Telegram ⇄ engine translation: updates in, inline keyboards out. Pure: no network, no database.

Replies are plain text (no `parse_mode`), so nothing needs escaping. Choices become inline
buttons whose `callback_data` is the choice id; a tap comes back as a callback query and is
read as that choice. The outbox stores `to_payload(...)` (plain JSON) and the sender rebuilds
the message with `from_payload` / `markup_from_payload` (or `render_payload_parts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from telegram import (
    CallbackQuery,
    ChatMemberBanned,
    ChatMemberLeft,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ChatType
from telegram.helpers import create_deep_linked_url

from bot.channels.base import Inbound, without_nul
from bot.channels.start_links import START_MESSAGE, parse_start_payload
from bot.channels.text import split_lines
from conversations.messages import BACK, MENU, QUIT, Choice, Outgoing
from domain.errors import InvalidPhone
from domain.phone import normalize_phone

CHANNEL: Final = "telegram"
GREETING: Final = "hola"  # what a bare /start means to the engine
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_MESSAGE_LENGTH: Final = 4096  # UTF-16 code units, as Telegram counts
SHORT_LABEL: Final = 20  # labels up to this many characters share a row, two by two

# Telegram's ids fit in a signed 64-bit integer (its docs: chat ids have at most 52 significant
# bits), and so must ours: customers keep the user id in a BIGINT column.
MIN_ID: Final = -(2**63)
MAX_ID: Final = 2**63 - 1

NAVIGATION: Final = frozenset({BACK, QUIT, MENU})
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


# --- inbound -------------------------------------------------------------------------------


def parse_update(update: Update) -> Inbound | None:
    """What the person sent in a private chat, or None when the bot should not answer."""
    if not _ids_fit(update):  # not an update Telegram would send: nothing to answer
        return None
    inbound = _parse(update)
    return None if inbound is None else without_nul(inbound)


def _ids_fit(update: Update) -> bool:
    chat, user = update.effective_chat, update.effective_user
    ids = [update.update_id, *(found.id for found in (chat, user) if found is not None)]
    # Junk JSON may carry a string where an id belongs: not from Telegram either.
    return all(isinstance(i, int) and MIN_ID <= i <= MAX_ID for i in ids)


def _parse(update: Update) -> Inbound | None:
    if update.callback_query is not None:
        return _from_callback(update, update.callback_query)
    if update.message is not None:
        return _from_message(update, update.message)
    if update.my_chat_member is not None:
        # Blocked (kicked) or gone: nothing can be sent, so nothing to re-prompt.
        if isinstance(update.my_chat_member.new_chat_member, ChatMemberBanned | ChatMemberLeft):
            return None
        return _bare(update)
    if (
        update.edited_message is not None
        or update.edited_channel_post is not None
        or update.edited_business_message is not None
        or update.business_message is not None  # answering needs a business connection
    ):
        return None
    return _bare(update)


def _from_message(update: Update, message: Message) -> Inbound | None:
    """A new message in a private chat: text, caption, /start, a shared contact or anything."""
    if message.chat.type != ChatType.PRIVATE or message.from_user is None:
        return None
    user = message.from_user
    text = message.text or message.caption or ""
    start_payload = None
    contact_phone = None
    started = START_MESSAGE.match(text) if message.text else None
    if started:
        payload = started.group("payload") or ""
        if parse_start_payload(payload) is not None:
            text, start_payload = "", payload
        else:  # bare, unreadable or of an unknown kind (an old campaign link): a greeting
            text = GREETING
    elif message.contact is not None:
        text = ""
        if message.contact.user_id is not None and message.contact.user_id == user.id:
            contact_phone = _contact_phone(message.contact.phone_number)
    elif not text and message.effective_attachment is None:
        # A service event (a pin, a new wallpaper, the auto-delete timer): nobody spoke.
        return None
    attachment = None
    if message.photo:  # sizes, smallest first: the largest is the readable one
        attachment = f"{CHANNEL}:{message.photo[-1].file_id}"
    elif message.document is not None:
        attachment = f"{CHANNEL}:{message.document.file_id}"
    return Inbound(
        channel=CHANNEL,
        external_id=str(update.update_id),
        chat_id=str(message.chat.id),
        text=text,
        user_id=str(user.id),
        first_name=user.first_name,
        contact_phone=contact_phone,
        start_payload=start_payload,
        language_code=user.language_code,
        attachment=attachment,
    )


def _from_callback(update: Update, query: CallbackQuery) -> Inbound | None:
    """A tapped inline button: its data is the choice id."""
    user = query.from_user
    message = query.message
    message_id: int | None = None
    if message is None:  # a button under an inline-mode message: answer the person privately
        chat_id = user.id
    else:
        if message.chat.type != ChatType.PRIVATE:
            return None
        chat_id = message.chat.id
        # An inaccessible message (deleted, or too old: date 0) can't be edited; send anew.
        if message.is_accessible:
            message_id = message.message_id
    return Inbound(
        channel=CHANNEL,
        external_id=str(update.update_id),
        chat_id=str(chat_id),
        text="",
        choice_id=query.data or None,
        user_id=str(user.id),
        first_name=user.first_name,
        callback_query_id=query.id,
        message_id=message_id,
        language_code=user.language_code,
    )


def _bare(update: Update) -> Inbound | None:
    """Any other update from a person in a private chat: empty text, so the bot asks again."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != ChatType.PRIVATE:
        return None
    return Inbound(
        channel=CHANNEL,
        external_id=str(update.update_id),
        chat_id=str(chat.id),
        text="",
        user_id=str(user.id),
        first_name=user.first_name,
        language_code=user.language_code,
    )


def _contact_phone(raw: str) -> str:
    """Telegram sends international numbers, often without the "+": E.164 when we can read it."""
    digits = raw.strip()
    candidate = digits if digits.startswith("+") else "+" + digits
    try:
        return normalize_phone(candidate)
    except InvalidPhone:
        return raw


def deep_link(bot_username: str, kind: str, value: str) -> str:
    """`https://t.me/<bot>?start=<kind>_<value>`; ValueError if it would not parse back."""
    payload = f"{kind}_{value}"
    if parse_start_payload(payload) != (kind, value):
        raise ValueError(f"not a valid start payload: {payload!r}")
    return create_deep_linked_url(bot_username.removeprefix("@"), payload)


# --- outbound ------------------------------------------------------------------------------


def inline_keyboard(choices: tuple[Choice, ...]) -> InlineKeyboardMarkup | None:
    """One button per choice: short labels two to a row, long ones alone, navigation last."""
    if not choices:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    pending: InlineKeyboardButton | None = None
    navigation: list[InlineKeyboardButton] = []
    for choice in choices:
        button = InlineKeyboardButton(choice.label, callback_data=_callback_data(choice.id))
        if choice.id in NAVIGATION:
            navigation.append(button)
        elif len(choice.label) > SHORT_LABEL:
            if pending is not None:
                rows.append([pending])
                pending = None
            rows.append([button])
        elif pending is not None:
            rows.append([pending, button])
            pending = None
        else:
            pending = button
    if pending is not None:
        rows.append([pending])
    if navigation:
        rows.append(navigation)
    return InlineKeyboardMarkup(rows)


def _callback_data(choice_id: str) -> str:
    size = len(choice_id.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        raise ValueError(
            f"choice id {choice_id!r} is {size} bytes; Telegram's callback_data takes 1-64"
        )
    return choice_id


def contact_keyboard(label: str) -> ReplyKeyboardMarkup:
    """A one-time keyboard whose single button shares the person's own phone number."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_contact=True)]],
        one_time_keyboard=True,
        resize_keyboard=True,
    )


def remove_keyboard() -> ReplyKeyboardRemove:
    """Hide a reply keyboard (the contact button) left on screen."""
    return ReplyKeyboardRemove()


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Cut text into Telegram messages (4096 UTF-16 units), at line breaks when possible."""
    return split_lines(text, limit)


# --- outbox payload ------------------------------------------------------------------------


def to_payload(
    outgoing: Outgoing, *, contact_label: str | None = None, remove_keyboard: bool = False
) -> dict[str, Any]:
    """Plain JSON for the outbox: `{"text", "choices": [{"id", "label"}]}` (+ keyboard keys).

    A reply keyboard replaces the inline one: `"keyboard": "contact"` with its `"label"`, or
    `"keyboard": "remove"`. `"page": true` marks another page of the question just asked.
    """
    payload: dict[str, Any] = {
        "text": outgoing.text,
        "choices": [{"id": c.id, "label": c.label} for c in outgoing.choices],
    }
    if outgoing.page:
        payload["page"] = True
    if contact_label is not None:
        payload["keyboard"] = "contact"
        payload["label"] = contact_label
    elif remove_keyboard:
        payload["keyboard"] = "remove"
    return payload


def payload_parts(outgoing: Outgoing, limit: int = MAX_MESSAGE_LENGTH) -> list[dict[str, Any]]:
    """Outbox payloads for a message too long for one: the buttons go under the last part."""
    texts = split_text(outgoing.text, limit) or [""]
    last = len(texts) - 1
    return [
        to_payload(Outgoing(text, outgoing.choices if n == last else ()))
        for n, text in enumerate(texts)
    ]


def from_payload(payload: Mapping[str, Any]) -> Outgoing:
    """The message an outbox payload stands for; ValueError if it is malformed."""
    text = payload.get("text")
    raw_choices = payload.get("choices", [])
    if not isinstance(text, str) or not isinstance(raw_choices, list):
        raise ValueError(f"not a Telegram outbox payload: {payload!r}")
    choices = []
    for raw in raw_choices:
        if not (
            isinstance(raw, Mapping)
            and isinstance(raw.get("id"), str)
            and isinstance(raw.get("label"), str)
        ):
            raise ValueError(f"not a choice: {raw!r}")
        choices.append(Choice(raw["id"], raw["label"]))
    return Outgoing(text, tuple(choices), page=bool(payload.get("page", False)))


def markup_from_payload(payload: Mapping[str, Any]) -> Markup | None:
    """The keyboard to send with an outbox payload: contact request, removal, or the choices."""
    keyboard = payload.get("keyboard")
    if keyboard == "contact":
        label = payload.get("label")
        if not isinstance(label, str) or not label:
            raise ValueError(f"a contact keyboard needs a label: {payload!r}")
        return contact_keyboard(label)
    if keyboard == "remove":
        return remove_keyboard()
    return inline_keyboard(from_payload(payload).choices)
