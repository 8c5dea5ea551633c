"""Deep-link payloads («/start shop_x»): read without the Telegram library.

The sandbox and the chat runtime read them on every message; keeping them apart from
`telegram_format` lets a server without Telegram set up skip importing python-telegram-bot.
"""

from __future__ import annotations

import re
from typing import Final

START_KINDS: Final = ("shop", "ref", "link")

START_MESSAGE = re.compile(r"^/start(?:@\w+)?(?:\s+(?P<payload>.*?))?\s*$", re.DOTALL)
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_KINDED_PAYLOAD = re.compile(rf"^(?P<kind>{'|'.join(START_KINDS)})_(?P<value>[A-Za-z0-9_-]+)$")


def start_command(text: str) -> tuple[str, str] | None:
    """A whole «/start shop_x» message (as a deep link sends it) → ("shop", "x"), else None."""
    started = START_MESSAGE.match(text)
    return parse_start_payload(started.group("payload") or "") if started else None


def parse_start_payload(payload: str) -> tuple[str, str] | None:
    """`shop_<slug>` → ("shop", slug), `ref_<code>`, `link_<code>`; anything else None."""
    if not _PAYLOAD.fullmatch(payload):
        return None
    match = _KINDED_PAYLOAD.fullmatch(payload)
    if match is None:
        return None
    return match.group("kind"), match.group("value")
