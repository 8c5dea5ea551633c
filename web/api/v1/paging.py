"""Opaque page cursors: the sort key of the last item a page showed, for the next page to
start after it (keyset paging: stable while rows are added or changed elsewhere)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated

from fastapi import Query

from domain.errors import InvalidRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_MAX_CURSOR_CHARS = 400

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 200)")]
Cursor = Annotated[
    str | None,
    Query(max_length=_MAX_CURSOR_CHARS, description="The `next` of the previous page"),
]


def encode_cursor(key: str, row_id: int) -> str:
    """A cursor after the item whose sort key is (`key`, `row_id`)."""
    raw = json.dumps([key, row_id], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    """The (key, id) a cursor carries; a cursor we did not make is a 422 naming `cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, row_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        raise InvalidRequest("not a cursor this API gave", field="cursor") from None
    valid_id = isinstance(row_id, int) and not isinstance(row_id, bool) and 0 < row_id < 2**31
    if not isinstance(key, str) or "\x00" in key or not valid_id:
        raise InvalidRequest("not a cursor this API gave", field="cursor")
    return key, row_id
