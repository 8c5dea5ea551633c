"""`serve --demo --start-at`: the demo on a pretend Buenos Aires time that runs on from there."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.clock import OffsetClock
from bot.settings import get_settings
from domain.model import DEFAULT_TIMEZONE
from tests.fakes.telegram_api import REPO_ROOT, free_port

BUENOS_AIRES = ZoneInfo(DEFAULT_TIMEZONE)
TUESDAY_10 = "2026-12-01 10:00"  # a Tuesday, far from holidays; Tincho works Tue-Sat 10-19


class Ticks:
    """A monotonic counter the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_offset_clock_starts_at_the_given_instant_and_moves_forward() -> None:
    ticks = Ticks()
    start = datetime(2026, 12, 1, 10, 0, tzinfo=BUENOS_AIRES)
    clock = OffsetClock(start, monotonic=ticks)

    first = clock.now()
    ticks.seconds += 90.5
    later = clock.now()

    assert first == datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    assert first.tzinfo == UTC
    assert later - first == timedelta(seconds=90.5)


def test_offset_clock_on_real_time_never_goes_back() -> None:
    start = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)
    clock = OffsetClock(start)

    readings = [clock.now() for _ in range(1000)]

    assert readings == sorted(readings)
    assert start <= readings[0] <= readings[-1] < start + timedelta(seconds=5)


def test_offset_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        OffsetClock(datetime(2026, 12, 1, 10, 0))


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where the CLI would put its database; the refusals below must not even create it."""
    path = tmp_path / "demo.db"
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port someone already listens on: should a refusal regress, uvicorn exits, not serves."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield int(taken.getsockname()[1])


def flat(output: str) -> str:
    """The CLI's output without the error box and its line wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_start_at_without_demo_is_refused_before_anything_starts(
    database_file: Path, busy_port: int
) -> None:
    result = CliRunner().invoke(app, ["serve", "--port", str(busy_port), "--start-at", TUESDAY_10])

    assert result.exit_code == 2, result.output
    assert "Invalid value for '--start-at': only works with --demo" in flat(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not database_file.exists()


@pytest.mark.parametrize("value", ["mañana", "2026-13-01 10:00", "2026-12-01", "10:00"])
def test_a_malformed_start_at_is_refused_cleanly(
    value: str, database_file: Path, busy_port: int
) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--demo", "--port", str(busy_port), "--start-at", value]
    )

    assert result.exit_code == 2, result.output
    assert f"'{value}' is not a date and time like '2026-12-01 10:00'" in flat(result.output)
    assert "Traceback" not in result.output
    assert not database_file.exists()


def test_serve_demo_start_at_offers_times_on_the_pretend_day(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(
        BARBERPRO_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p),
    )
    script = Path(sys.executable).parent / "barberpro"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "serve", "--demo", "--start-at", TUESDAY_10, "--port", str(port)],
            cwd=tmp_path,  # no stray .env is read
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_health(process, base, log)
        with httpx.Client(base_url=base, timeout=10) as client:
            say(client, "hola")
            say(client, "Juan")
            answer = say(client, "quiero un corte hoy con Tincho")

        banner = log.read_text(errors="replace")
        assert "Clock:         pretending it is martes 1 de diciembre de 2026, 10:00" in banner
        assert answer["state"]["day"] == "2026-12-01", answer
        assert answer["state"]["step"] == "time", answer
        title = "Horarios para Corte con Tincho, hoy, martes 1 de diciembre:"
        assert title in answer["replies"][0]["text"]
        times = [c["label"] for c in answer["replies"][0]["choices"] if c["label"][:2].isdigit()]
        assert times, answer
        assert all("10:00" < t < "19:00" for t in times), times
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for_health(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    """Poll /healthz until the server answers (60 s at most: it migrates and seeds first)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not come up:\n{log.read_text(errors='replace')}")


def say(client: httpx.Client, text: str) -> dict[str, Any]:
    """Write to the sandbox chat demo-1; its JSON answer."""
    response = client.post("/sandbox/chats/demo-1/messages", json={"text": text})
    assert response.status_code == 200, response.text
    return dict(response.json())
