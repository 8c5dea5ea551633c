"""Request field types the catalog routes share: exact prices, ids, wall-clock times."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt

from domain.catalog_rules import NAME_CHARS, WORD_CHARS

_PRICE = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _exact_price(value: object) -> object:
    """A price is a string of an exact amount: a JSON number may already have lost cents."""
    if not isinstance(value, str):
        raise ValueError('an exact decimal string such as "12000.00", not a JSON number')
    if not _PRICE.match(value.strip()):
        raise ValueError('a non-negative amount with at most two decimals, e.g. "12000.00"')
    return value.strip()


def _clock(value: object) -> object:
    """A wall-clock time written "HH:MM" (00:00 to 23:59)."""
    if not isinstance(value, str) or not _CLOCK.match(value):
        raise ValueError('a time written "HH:MM", from "00:00" to "23:59"')
    return value


def clock_time(text: str) -> time:
    """The time of a checked "HH:MM"."""
    return time.fromisoformat(text)


def _one_line(value: str) -> str:
    """Names are one line of text (PostgreSQL refuses NUL characters outright)."""
    if _CONTROL.search(value):
        raise ValueError("must be one line of text, without control characters")
    return value


def _query_bool(value: object) -> object:
    """A query boolean is written `true` or `false`, as OpenAPI has it (not 1, 0 or yes)."""
    if isinstance(value, str) and value not in {"true", "false"}:
        raise ValueError('"true" or "false"')
    return value


def not_null(value: object) -> object:
    """A PATCH leaves out what stays; null is only for fields where it means "none"."""
    if value is None:
        raise ValueError("cannot be null (leave it out to keep it as it is)")
    return value


Price = Annotated[
    str,
    BeforeValidator(_exact_price),
    Field(description='Exact decimal string, e.g. "12000.00" (never a JSON number)'),
]
Clock = Annotated[
    str,
    BeforeValidator(_clock),
    Field(description='"HH:MM", e.g. "09:30"', json_schema_extra={"pattern": _CLOCK.pattern}),
]
QueryBool = Annotated[bool, BeforeValidator(_query_bool)]
RowIdIn = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Ids = Annotated[list[RowIdIn], Field(max_length=100)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_CHARS), AfterValidator(_one_line)]
Word = Annotated[str, Field(max_length=WORD_CHARS), AfterValidator(_one_line)]
Note = Annotated[str, Field(max_length=200)]  # request bodies refuse NUL (RequestBody)
