"""Spoken clock times as patterns, and which half of the day a bare "a las 5" means."""

from __future__ import annotations

import re
from datetime import time

from conversations.understanding.lexicon import NUMBER_WORDS

_HOUR_WORDS = {word: n for word, n in NUMBER_WORDS.items() if n <= 12 and word != "un"}
_MINUTE_WORDS = {"media": 30, "medio": 30, "cuarto": 15, "veinticinco": 25, "cuarenta": 40}
_HOUR = r"\d{1,2}(?![:./-]\d)|" + "|".join(sorted(_HOUR_WORDS, key=len, reverse=True))
_MINUTES = r"\d{1,2}|" + "|".join(sorted({*_MINUTE_WORDS, *NUMBER_WORDS}, key=len, reverse=True))
_HINTS = {
    "am": "am",
    "de la manana": "am",
    "de la madrugada": "am",
    "pm": "pm",
    "de la tarde": "pm",
    "de la noche": "pm",
    "del mediodia": "pm",
}
_HINT = "|".join(sorted(_HINTS, key=len, reverse=True))
_NOT_A_TIME = r"(?!\s+(?:semanas|semana|dias|veces|personas|meses|turnos|opciones|cosas)\b)"


def time_pattern(p: str) -> str:
    """A clock time as a regex whose groups are all prefixed with `p` (see `spoken_time`)."""
    return (
        rf"(?:(?P<{p}ch>\d{{1,2}})[:.](?P<{p}cm>\d{{2}})(?![\d:./])"
        rf"|(?P<{p}h>{_HOUR})(?:\s+y\s+(?P<{p}plus>{_MINUTES})|\s+menos\s+(?P<{p}minus>{_MINUTES})"
        rf"|(?P<{p}pico>\s+y\s+(?:pico|algo)))?)"
        rf"(?:\s+(?P<{p}hs>hs|en punto))?(?:\s+(?P<{p}hint>{_HINT}))?\b{_NOT_A_TIME}"
    )


def has_marker(match: re.Match[str], p: str) -> bool:
    """Whether a time with no "a las" in front still reads as one ("17:30", "5 y media", "5hs")."""
    marked = (
        match.group(f"{p}ch")
        or match.group(f"{p}hs")
        or match.group(f"{p}hint")
        or match.group(f"{p}pico")
    )
    fraction = match.group(f"{p}plus") or match.group(f"{p}minus")
    return bool(marked) or fraction in _MINUTE_WORDS


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _HOUR_WORDS.get(word, _MINUTE_WORDS.get(word, NUMBER_WORDS.get(word)))


def spoken_time(
    match: re.Match[str], p: str, opens: time, closes: time, leaning: str | None = None
) -> time | None:
    """The time a matched `time_pattern` means, in the shop's day ("a las 5" → 17:00).

    Its own "de la tarde" decides the half of the day; `leaning` ("pm" when the message says
    "a la tarde" elsewhere) only breaks ties between two times the shop is open at.
    """
    own_hint = match.group(f"{p}hint")
    hint = _HINTS[own_hint] if own_hint else None
    if match.group(f"{p}ch"):
        hour, delta = int(match.group(f"{p}ch")), int(match.group(f"{p}cm"))
        if delta > 59:
            return None
    else:
        hour = _number(match.group(f"{p}h")) or 0
        plus, minus = match.group(f"{p}plus"), match.group(f"{p}minus")
        amount = _number(plus) if plus else -(_number(minus) or 0) if minus else 0
        if amount is None or not -59 <= amount <= 59:
            return None
        delta = amount
    return day_time(hour, delta, hint, opens, closes, leaning)


def day_time(
    hour: int, delta: int, hint: str | None, opens: time, closes: time, leaning: str | None = None
) -> time | None:
    """Hour plus minutes as a time; hours 1–11 go to whichever half the shop is open in."""
    if not 0 <= hour <= 23:
        return None
    if hint == "pm" and hour < 12:
        hour += 12
    ambiguous = hint is None and 1 <= hour <= 11
    first = hour * 60 + delta
    halves = [first + 720, first] if leaning == "pm" else [first, first + 720]
    candidates = [m for m in (halves if ambiguous else [first]) if 0 <= m < 1440]
    if not candidates:
        return None
    low, high = opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute
    inside = [m for m in candidates if low <= m < high]
    best = inside[0] if inside else min(candidates, key=lambda m: max(low - m, m - high, 0))
    return time(best // 60, best % 60)


def shifted(start: time, minutes: int) -> time:
    """A time some minutes later (or earlier), kept within the day."""
    total = min(max(start.hour * 60 + start.minute + minutes, 0), 23 * 60 + 59)
    return time(total // 60, total % 60)
