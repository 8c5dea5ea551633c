"""Cutting a long text into messages a channel accepts (limits counted in UTF-16 units, as
Telegram and Twilio count them)."""

from __future__ import annotations


def split_lines(text: str, limit: int) -> list[str]:
    """Cut text into messages of at most `limit` UTF-16 units, at line breaks when possible."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if _units(text) <= limit:
        return [text]
    chunks: list[list[str]] = [[]]
    size = 0
    for line in (piece for whole in text.split("\n") for piece in _wrap(whole, limit)):
        extra = _units(line) + (1 if chunks[-1] else 0)
        if chunks[-1] and size + extra > limit:
            chunks.append([])
            extra = _units(line)
            size = 0
        chunks[-1].append(line)
        size += extra
    parts = ("\n".join(lines).strip("\n") for lines in chunks)
    return [part for part in parts if part.strip()]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _wrap(line: str, limit: int) -> list[str]:
    """A line longer than the limit, cut at spaces (or anywhere when a word is that long)."""
    pieces = []
    while _units(line) > limit:
        cut = limit
        while cut > 1 and _units(line[:cut]) > limit:
            cut -= 1
        space = line.rfind(" ", 0, cut + 1)
        if space > 0:
            pieces.append(line[:space])
            line = line[space + 1 :]
        else:
            pieces.append(line[:cut])
            line = line[cut:]
    pieces.append(line)
    return pieces
