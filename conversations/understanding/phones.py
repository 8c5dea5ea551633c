"""Phone numbers in a text: taken out of a customer's message before it is read (never a time,
a day or a choice), and found by the logs' privacy filter (bot/log_privacy.py) to mask them.

A customer often answers «¿cómo te llamás?» with their name and number; read whole, the digits
made the name no name ("11" even a time). The number itself is not kept: a typed number proves
nothing about who types it, so it never ties a chat to a customer known by that phone.
"""

from __future__ import annotations

import re

# A phone number as people type it in a text: an optional "+", then 8 or more digits with
# single separators (space, dash, parentheses) between them: E.164 numbers, Argentine ones as
# written, long digit runs such as Telegram chat ids. Never inside a word or a longer number.
PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+?\(?\d(?:[ \-()]{0,2}\d){7,}(?![\w])")
# What PHONE_IN_TEXT also finds that is a date: "2026-12-03 10" (a log's time), "15-12-2026".
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}\b|\d{1,2}[-.]\d{1,2}[-.]\d{2,4}(?![-.\d])")
# A number with the words that announce it ("mi cel es", "tel:", "whatsapp") and the
# punctuation that joined it to the rest of the message.
_ANNOUNCED = re.compile(
    r"[\s,;:.\-–—]*"
    r"(?:(?:\by\s+)?(?:\b(?:mi|el)\s+)?"
    r"\b(?:cel(?:u|ular)?|tel(?:[eé]fono)?|n[uú]mero|whats?app|wsp|wpp|m[oó]vil|contacto)\b"
    r"(?:\s+es)?[\s:]*)?"
    rf"({PHONE_IN_TEXT.pattern})",
    re.IGNORECASE,
)


def is_date(found: str) -> bool:
    """Whether a PHONE_IN_TEXT match starts with a date instead of being a phone number."""
    return _DATE.match(found) is not None


def without_phone_numbers(text: str) -> str:
    """The message with every phone number (and the words announcing it) taken out."""
    rest = _ANNOUNCED.sub(lambda m: m.group(0) if is_date(m.group(1)) else " ", text).strip()
    return rest or text  # only a number: read as it came (no name, no choice)
