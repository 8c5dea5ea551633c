"""Phone numbers to E.164, with Argentine habits: +54 9, trunk 0, the mobile 15, local forms.

Every Argentine number is assumed to be a mobile (chat customers write from their phones), so
`+54 11 ...`, `011 15 ...` and `11-5874-9895` all end as `+5491158749895`.
"""

from __future__ import annotations

import re

from domain.errors import InvalidPhone

_ARGENTINA = "54"
_NATIONAL_DIGITS = 10  # area code + subscriber number, without the 0, the 9 or the 15
_SEPARATORS = re.compile(r"[\s\-\.\(\)/]")


def normalize_phone(raw: str, default_country: str = _ARGENTINA) -> str:
    """Return the number in E.164 (`+5491158749895`) or raise InvalidPhone."""
    text = _SEPARATORS.sub("", raw.strip())
    if not text:
        raise InvalidPhone("empty phone number")
    if text.startswith("00"):
        text = "+" + text[2:]
    if not re.fullmatch(r"\+?\d+", text):
        raise InvalidPhone(f"not a phone number: {raw!r}")
    if text.startswith("+"):
        digits = text[1:]
        if digits.startswith(_ARGENTINA):
            return "+" + _ARGENTINA + "9" + _argentine_national(digits[2:], raw)
        if not 8 <= len(digits) <= 15:
            raise InvalidPhone(f"wrong length: {raw!r}")
        if digits.startswith("0"):
            raise InvalidPhone(f"no country code starts with 0: {raw!r}")
        return "+" + digits
    if default_country != _ARGENTINA:
        return normalize_phone("+" + default_country + text, default_country)
    if text.startswith(_ARGENTINA) and len(text) >= 12:
        return "+" + _ARGENTINA + "9" + _argentine_national(text[2:], raw)
    return "+" + _ARGENTINA + "9" + _argentine_national(text, raw)


def _argentine_national(digits: str, raw: str) -> str:
    """Strip the mobile 9, the trunk 0 and the 15 prefix, leaving area code + subscriber."""
    if len(digits) == _NATIONAL_DIGITS + 1 and digits.startswith("9"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == _NATIONAL_DIGITS + 2:
        digits = _drop_mobile_15(digits)
    # Area codes are 11 (Buenos Aires) or start with 2 or 3: a leading "15" is a mobile prefix
    # written without its area code, which we cannot guess.
    if len(digits) != _NATIONAL_DIGITS or not digits.startswith(("11", "2", "3")):
        raise InvalidPhone(f"not an Argentine number: {raw!r}")
    return digits


def _drop_mobile_15(digits: str) -> str:
    """Remove the '15' written after the area code (2 digits in Buenos Aires, else 3 or 4)."""
    area_lengths = (2,) if digits.startswith("11") else (3, 4)
    for length in area_lengths:
        if digits[length : length + 2] == "15":
            return digits[:length] + digits[length + 2 :]
    return digits


def format_phone(e164: str) -> str:
    """Render an E.164 number for people: `+54 9 11 5874-9895` for Buenos Aires mobiles."""
    if e164.startswith("+549") and len(e164) == 14:
        national = e164[4:]
        area = 2 if national.startswith("11") else 3
        local = national[area:]
        return f"+54 9 {national[:area]} {local[:-4]}-{local[-4:]}"
    return e164
