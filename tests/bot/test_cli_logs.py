"""Every `barberpro` command logs as `serve` does: BARBERPRO_LOG_FORMAT honoured, personal
data masked (not only `serve`, which used to be the one command that set logging up)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from tests.bot.test_cli import barberpro

PHONE_CHAT = "5491155553333"  # a chat id that is a phone number, as WhatsApp's are


def chat_in_a_terminal(database_url: str, log_format: str, cwd: Path) -> str:
    """`barberpro chat` as a person runs it: a question the bot passes on to the shop (which
    the dispatcher logs at INFO), then /salir. Returns what it wrote to standard error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(BARBERPRO_DATABASE_URL=database_url, BARBERPRO_LOG_FORMAT=log_format)
    done = subprocess.run(
        [*barberpro(), "chat", "--chat-id", PHONE_CHAT],
        input="hola\n¿tienen estacionamiento?\n/salir\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "le pasé tu pregunta al local" in done.stdout
    return done.stderr


def test_a_command_other_than_serve_writes_json_log_lines(
    database_url: str, tmp_path: Path
) -> None:
    written = chat_in_a_terminal(database_url, "json", tmp_path)

    lines = [json.loads(line) for line in written.splitlines()]
    assert {"level": "INFO", "logger": "bot.dispatcher"}.items() <= lines[0].items()
    assert [line["message"] for line in lines] == ["message for don-julio from a sandbox chat"]
    assert "3333" not in written


def test_a_command_other_than_serve_writes_text_log_lines(
    database_url: str, tmp_path: Path
) -> None:
    written = chat_in_a_terminal(database_url, "text", tmp_path)

    assert written.splitlines() == [
        "INFO bot.dispatcher: message for don-julio from a sandbox chat"
    ]


def test_after_any_command_a_phone_in_a_log_record_comes_out_masked(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a library or an exception's message logs during a command passes the filter."""
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        upgraded = CliRunner().invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert upgraded.exit_code == 0, upgraded.output

    logging.getLogger("twilio.http_client").warning("POST To=whatsapp:+5491155553333 failed")

    written = capsys.readouterr().err
    assert written == "WARNING twilio.http_client: POST To=whatsapp:+54 9 11 ****-3333 failed\n"
