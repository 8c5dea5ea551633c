"""Personal data out of the logs: phone numbers, chat ids and emails masked in every record.

Our own log calls never pass a phone, a chat id or a message text (Ley 25.326); this is the
safety net under them, for what reaches a log anyway: an exception's message, a third-party
library's record, an access log line. A phone keeps its country, area code and last 4 digits
(`+54 9 11 ****-3333`), enough to tell two numbers apart when debugging, not to call anyone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from conversations.understanding.phones import PHONE_IN_TEXT, is_date
from domain.errors import InvalidPhone
from domain.phone import normalize_phone

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
_LAST = 4
_TRACEBACKS = logging.Formatter()  # formats a traceback as every handler would


def mask_text(text: str) -> str:
    """`text` with every phone-like number and email masked (idempotent)."""
    return _EMAIL.sub(r"\1***@\2", PHONE_IN_TEXT.sub(_mask_match, text))


def mask_phone(raw: str) -> str:
    """One number masked: `+5491155553333` or `011 15 5555-3333` → `+54 9 11 ****-3333`."""
    digits = re.sub(r"\D", "", raw)
    last = digits[-_LAST:]
    try:
        e164 = normalize_phone(raw)
    except InvalidPhone:
        e164 = None  # a long digit run (a chat id) or a short local number
    if e164 is not None and e164.startswith("+549") and len(e164) == 14:
        national = e164[4:]
        return f"+54 9 {national[: 2 if national.startswith('11') else 3]} ****-{last}"
    if e164 is not None and raw.lstrip("(").startswith("+"):
        if len(digits) == 11 and digits.startswith("1"):  # North America: +1 and 3 digits
            return f"+1 {digits[1:4]} ****-{last}"
        return f"+{digits[:2]} ****-{last}"
    return f"****{last}"


def _mask_match(match: re.Match[str]) -> str:
    found = match.group(0)
    return found if is_date(found) else mask_phone(found)


class PrivateDataFilter(logging.Filter):
    """Masks personal data in a record's message, arguments, traceback and stack; drops the
    query string of access log lines (customer searches carry names and phones)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; it is always kept."""
        redact(record)
        return True


def redact(record: logging.LogRecord) -> None:
    """Mask personal data in `record`, keeping its arguments when they can be kept."""
    if record.name == "uvicorn.access" and isinstance(record.args, tuple):
        record.args = tuple(_without_query(a) if i == 2 else a for i, a in enumerate(record.args))
    if isinstance(record.msg, str):
        record.msg = mask_text(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(mask_text(a) if isinstance(a, str) else a for a in record.args)
    elif isinstance(record.args, Mapping):
        record.args = {k: mask_text(v) if isinstance(v, str) else v for k, v in record.args.items()}
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when it formats the record
        return
    masked = mask_text(message)
    if masked != message:  # the number was in an argument that is not a string (an exception)
        record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        record.exc_text = _TRACEBACKS.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)


def _without_query(path: object) -> object:
    if isinstance(path, str) and "?" in path:
        return path.split("?", 1)[0] + "?…"
    return path
