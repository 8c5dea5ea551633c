"""How `barberpro` logs, every command: text or JSON lines, personal data masked, chatty
libraries quiet.

`BARBERPRO_LOG_FORMAT=json` writes one JSON object per line (time, level, logger, message,
request_id); `text` (the default) keeps the classic `LEVEL logger: message` lines. Either way
every handler, uvicorn's included, passes its records through the privacy filter.
"""

from __future__ import annotations

import copy
import json
import logging
import logging.config
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import uvicorn

from bot.request_id import current_request_id

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Third parties whose INFO lines would drown ours: alembic's plugin chatter hides the banner,
# httpx logs every Bot API call, apscheduler two lines per loop tick.
QUIET_LOGGERS = ("alembic", "httpx", "apscheduler")
# Third parties that log what they send or store below WARNING: request URLs and bodies
# (twilio at INFO: the To number and the Body; python-telegram-bot at DEBUG: chat_id and text;
# httpx, httpcore, urllib3), SQL with its parameters (sqlalchemy, aiosqlite at DEBUG).
PRIVATE_LOGGERS = (
    "httpx",
    "httpcore",
    "urllib3",
    "telegram",
    "twilio",
    "mercadopago",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "multipart",
    "python_multipart",
)


def keep_libraries_quiet() -> None:
    """Raise the libraries that log personal data to WARNING, even under a DEBUG root."""
    for name in PRIVATE_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever `sys.stderr` is when a record comes, not when logging was set up.

    A command run in-process (typer's `CliRunner` swaps `sys.stderr` for a buffer while it
    runs) would otherwise leave a handler writing to a buffer that is gone by the next record.
    """

    def __init__(self) -> None:
        logging.Handler.__init__(self)  # not StreamHandler's: it would pin today's stream

    @property
    def stream(self) -> TextIO:  # type: ignore[override]  # read-only: always sys.stderr
        """The process's standard error, now."""
        return sys.stderr


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (and a traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id.get(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(log_format: LogFormat = "text") -> dict[str, Any]:
    """uvicorn's logging plus ours, for `logging.config.dictConfig` and `uvicorn.run`."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    if log_format == "json":
        for name in config["formatters"]:
            config["formatters"][name] = {"()": "bot.log_setup.JsonFormatter"}
        config["formatters"]["barberpro"] = {"()": "bot.log_setup.JsonFormatter"}
    else:
        config["formatters"]["barberpro"] = {"format": TEXT_FORMAT}
    config["filters"] = {"private": {"()": "bot.log_privacy.PrivateDataFilter"}}
    config["handlers"]["barberpro"] = {
        "()": "bot.log_setup.StderrHandler",
        "formatter": "barberpro",
    }
    for handler in config["handlers"].values():
        handler["filters"] = ["private"]
    config["root"] = {"level": "INFO", "handlers": ["barberpro"]}
    for name in (*QUIET_LOGGERS, *PRIVATE_LOGGERS):
        config["loggers"][name] = {"level": "WARNING"}
    return config


def configure_logging(log_format: LogFormat = "text") -> None:
    """Set up the process's logging (every command; each `serve` worker applies the same)."""
    logging.config.dictConfig(log_config(log_format))
