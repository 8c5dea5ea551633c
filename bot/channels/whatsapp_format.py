"""WhatsApp (Twilio) ⇄ engine translation: webhook forms in, numbered text or templates out.

Pure: no network, no database, no twilio import. A turn's replies go out as ONE message
(`merge`), because WhatsApp allows about one message every 6 seconds per person. That message is
either plain numbered text (`numbered_text`, always available) or, when the shop has the Content
template for that many choices configured, a quick reply or list picker (`template_for`).

Numbering contract: the choices are numbered 1..n over the non-navigation choices, in order,
exactly as the engine reads a typed "2" or "dos"; navigation choices (volver, cancelar, menú)
are not numbered but named in a closing line, and typing their label selects them.

Content template convention (`template_for`): the key says how many choices the message has,
navigation INCLUDED, and every choice becomes a button or list item in order:
  `quick_reply_1` … `quick_reply_3`  → twilio/quick-reply (in-session, unapproved: ≤ 3 buttons)
  `list_picker_4` … `list_picker_10` → twilio/list-picker (session only, ≤ 10 items)
Variables: "1" = the body text; then for the i-th choice (1-based) str(2*i) = its label and
str(2*i+1) = its id (the button/item id, which comes back as ButtonPayload / ListId). A list
picker's own "open the list" button text is fixed in the template (e.g. "Ver opciones").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from bot.channels.base import Inbound, without_nul
from bot.channels.text import split_lines
from conversations.messages import BACK, MENU, QUIT, Outgoing
from domain.errors import InvalidPhone
from domain.phone import normalize_phone

CHANNEL: Final = "whatsapp"
PREFIX: Final = "whatsapp:"
MAX_BODY: Final = 1600  # Twilio's limit for a message body
QUICK_REPLY_MAX: Final = 3  # buttons in an unapproved in-session quick reply
LIST_PICKER_MAX: Final = 10  # items in a list picker
QUICK_REPLY_TITLE: Final = 20  # characters of a quick-reply button
LIST_ITEM_TITLE: Final = 24  # characters of a list-picker item
TEMPLATE_BODY_MAX: Final = 1024  # characters of a quick-reply / list-picker body
TEMPLATE_ID_MAX: Final = 200  # characters of a button or item id
NOTIFICATION_MAX: Final = 900  # of the approved notification template's 1024, leaving its words
ELLIPSIS: Final = "…"

NAVIGATION: Final = frozenset({BACK, QUIT, MENU})
Gettext = Callable[[str], str]

_SEPARATORS = re.compile(r"[\s\-\.\(\)/]")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")
_BLANKS = re.compile(r"[ \t\r\f\v]+")  # not \xa0: babel puts it inside prices on purpose
_SENTENCE_END = (".", "!", "?", ":", ";", ELLIPSIS)


# --- inbound -------------------------------------------------------------------------------


def parse_form(form: Mapping[str, str]) -> Inbound | None:
    """Twilio's inbound-message webhook form as an Inbound; None if it is not a message."""
    sid = (form.get("MessageSid") or "").strip()
    sender = (form.get("From") or "").strip()
    if not sid or not sender:
        return None
    status = (form.get("SmsStatus") or form.get("MessageStatus") or "received").lower()
    if status != "received":  # a delivery-status callback posted to the wrong URL
        return None
    choice_id = (form.get("ButtonPayload") or form.get("ListId") or "").strip() or None
    text = form.get("Body") or ""
    if not text and choice_id:
        text = form.get("ButtonText") or form.get("ListTitle") or ""
    user_id = _phone_of(sender) or _phone_of("+" + (form.get("WaId") or "").lstrip("+"))
    media = (form.get("MediaUrl0") or "").strip()
    return without_nul(
        Inbound(
            channel=CHANNEL,
            external_id=sid,
            chat_id=sender,
            text=text,
            choice_id=choice_id,
            user_id=user_id,
            first_name=(form.get("ProfileName") or "").strip() or None,
            to_address=form.get("To") or None,
            attachment=f"{CHANNEL}:{media}" if media else None,
        )
    )


def _phone_of(address: str) -> str | None:
    """The E.164 number behind `whatsapp:+54…` (Argentine numbers in their +549 form)."""
    number = address.strip().removeprefix(PREFIX)
    if not number or number == "+":
        return None
    try:
        return normalize_phone(number)
    except InvalidPhone:
        return None


def whatsapp_address(e164: str) -> str:
    """`whatsapp:+5491158749895` for a number (any form normalize_phone reads); InvalidPhone."""
    return PREFIX + normalize_phone(e164.strip().removeprefix(PREFIX))


def sender_address(configured: str) -> str:
    """Our Twilio sender (`BARBERPRO_TWILIO_WHATSAPP_FROM`) as `whatsapp:+…`; InvalidPhone.

    `whatsapp:…` is used as written, and so is a number in international form (`+…`, spaces
    and dashes dropped): Twilio knows the sender by exactly the number it registered, and a
    business sender may be an Argentine landline, whose WhatsApp id has no mobile 9
    (`+54 11 4000-5678` → `whatsapp:+541140005678`). A local form (`011 …`) is normalised.
    """
    sender = configured.strip()
    if sender.startswith(PREFIX):
        return sender
    number = _SEPARATORS.sub("", sender)
    if _INTERNATIONAL.fullmatch(number):
        return PREFIX + number
    return whatsapp_address(sender)


def same_person(a: str, b: str) -> bool:
    """Whether two numbers or `whatsapp:` addresses are the same person (+54 9 or not)."""
    first, second = _phone_of(a), _phone_of(b)
    return first is not None and first == second


# --- numbered text -------------------------------------------------------------------------


def numbered_text(outgoing: Outgoing, gettext: Gettext) -> str:
    """The text, its non-navigation choices numbered from 1, and how to go back or out."""
    offered = [c for c in outgoing.choices if c.id not in NAVIGATION]
    navigation = [c.label for c in outgoing.choices if c.id in NAVIGATION]
    blocks = [outgoing.text] if outgoing.text else []
    if offered:
        blocks.append("\n".join(f"{n}. {c.label}" for n, c in enumerate(offered, 1)))
    if navigation:
        blocks.append(_how_to_answer(bool(offered), navigation, gettext))
    return "\n\n".join(blocks)


def _how_to_answer(numbered: bool, labels: list[str], gettext: Gettext) -> str:
    _ = gettext
    first = labels[0]
    if len(labels) == 1:
        line = (
            _('Reply with the number of your choice, or write "{first}".')
            if numbered
            else _('Write "{first}".')
        )
        return line.format(first=first)
    second = labels[1]
    if len(labels) == 2:
        line = (
            _('Reply with the number of your choice, or write "{first}" or "{second}".')
            if numbered
            else _('Write "{first}" or "{second}".')
        )
        return line.format(first=first, second=second)
    line = (
        _('Reply with the number of your choice, or write "{first}", "{second}" or "{third}".')
        if numbered
        else _('Write "{first}", "{second}" or "{third}".')
    )
    return line.format(first=first, second=second, third=labels[2])


def merge(outgoings: Sequence[Outgoing]) -> Outgoing:
    """A turn's replies as one message: texts a blank line apart, the last offered choices."""
    text = "\n\n".join(o.text for o in outgoings if o.text)
    choices = next((o.choices for o in reversed(outgoings) if o.choices), ())
    return Outgoing(text, choices)


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    """Cut a body into Twilio messages (1600 UTF-16 units), at line breaks when possible."""
    return split_lines(text, limit)


# --- content templates ---------------------------------------------------------------------


def template_key(choice_count: int) -> str | None:
    """The `templates` key for a message with this many choices (navigation included)."""
    if 1 <= choice_count <= QUICK_REPLY_MAX:
        return f"quick_reply_{choice_count}"
    if QUICK_REPLY_MAX < choice_count <= LIST_PICKER_MAX:
        return f"list_picker_{choice_count}"
    return None


def template_for(
    outgoing: Outgoing, templates: Mapping[str, str]
) -> tuple[str, dict[str, str]] | None:
    """(content_sid, content_variables) to send the message with buttons, or None for text.

    Twilio rejects variables with line breaks, tabs or long runs of spaces, so the body goes
    on one line (lines joined with " " after a full stop, else " · "); a body still over 1024
    characters, an empty one or an id over 200 characters means None (numbered text instead).
    """
    key = template_key(len(outgoing.choices))
    content_sid = templates.get(key) if key else None
    if not content_sid:
        return None
    body = one_line(outgoing.text)
    if not body or len(body) > TEMPLATE_BODY_MAX:
        return None
    title = QUICK_REPLY_TITLE if len(outgoing.choices) <= QUICK_REPLY_MAX else LIST_ITEM_TITLE
    variables = {"1": body}
    for n, choice in enumerate(outgoing.choices, 1):
        label = one_line(choice.label)
        if not label or not _usable_id(choice.id):
            return None
        variables[str(2 * n)] = truncate(label, title)
        variables[str(2 * n + 1)] = choice.id
    return content_sid, variables


def _usable_id(choice_id: str) -> bool:
    return 0 < len(choice_id) <= TEMPLATE_ID_MAX and not any(c.isspace() for c in choice_id)


def outside_window_variables(text: str, limit: int = NOTIFICATION_MAX) -> dict[str, str]:
    """Variables of the approved "notification" template (`{"1": text}`), for after 24 h."""
    value = one_line(text)
    if not value:
        raise ValueError("a template variable cannot be empty")
    return {"1": truncate(value, limit)}


def one_line(text: str) -> str:
    """Text as one line for a template variable: no line breaks, tabs or runs of spaces."""
    joined = ""
    for raw in text.splitlines():
        line = _BLANKS.sub(" ", raw).strip(" ")
        if not line:
            continue
        if not joined:
            joined = line
        elif joined.endswith(_SENTENCE_END):
            joined += " " + line
        else:
            joined += " · " + line
    return joined


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, ending in "…" when something was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
