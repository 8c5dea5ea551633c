"""The id of the HTTP request or chat turn being served, for every log line it causes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Set per HTTP request (web/request_id.py) and per chat turn (bot/channels/runtime.py); a
# context variable, so concurrent requests and turns each keep their own.
current_request_id: ContextVar[str | None] = ContextVar("barberpro_request_id", default=None)

# What we accept from a caller's X-Request-ID: short, and nothing a log line could trip on.
_SANE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def new_request_id() -> str:
    """A fresh random id (32 hex digits)."""
    return uuid.uuid4().hex


def sane_request_id(value: str | None) -> str | None:
    """`value` if it is a reasonable id to echo and log, else None."""
    if value and _SANE.fullmatch(value):
        return value
    return None


@contextmanager
def request_id_scope(value: str | None = None) -> Iterator[str]:
    """Run the block under `value` (or a new id) as the current request id."""
    request_id = value or new_request_id()
    token = current_request_id.set(request_id)
    try:
        yield request_id
    finally:
        current_request_id.reset(token)
