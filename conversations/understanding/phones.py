"""Phone numbers typed in a message ("Juana Pérez, mi cel es 11 5555-3333"): never a time, a day
or a choice, so they are taken out before the rest is read.

A customer often answers «¿cómo te llamás?» with their name and number; read whole, the digits
made the name no name ("11" even a time). The number itself is not kept: a typed number proves
nothing about who types it, so it never ties a chat to a customer known by that phone.
"""

from __future__ import annotations

import re

MIN_DIGITS = 8  # an Argentine number without its area code; no time or date has as many
# A run of digits and the separators people type in numbers, with the words that announce it
# ("mi cel es", "tel:", "whatsapp") and the punctuation that joined it to the rest.
_NUMBER = re.compile(
    r"[\s,;:.\-–—]*"
    r"(?:(?:\by\s+)?(?:\b(?:mi|el)\s+)?"
    r"\b(?:cel(?:u|ular)?|tel(?:[eé]fono)?|n[uú]mero|whats?app|wsp|wpp|m[oó]vil|contacto)\b"
    r"(?:\s+es)?[\s:]*)?"
    r"\+?\(?\d[\d\s\-().]*\d",
    re.IGNORECASE,
)
# Dates typed with dashes or dots have as many digits: "15-12-2026", "2026-12-15", "15.12.26".
_DATE = re.compile(r"\d{1,2}[-.]\d{1,2}[-.]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}")


def without_phone_numbers(text: str) -> str:
    """The message with every phone number (and the words announcing it) taken out."""

    def out(found: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in found.group())
        if digits < MIN_DIGITS or _DATE.search(found.group()):
            return found.group()
        return " "

    rest = _NUMBER.sub(out, text).strip()
    return rest or text  # only a number: read as it came (no name, no choice)
