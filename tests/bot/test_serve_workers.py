"""`barberpro serve --workers N`: several processes on PostgreSQL, refused on SQLite."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from tests.bot.test_cli import barberpro, env, free_port

__all__ = ["env"]  # the fixture, imported to be used here


def test_several_workers_on_sqlite_are_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/one.db")
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(app, ["serve", "--workers", "2", "--demo"])
    finally:
        get_settings.cache_clear()

    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        "barberpro serve: --workers needs PostgreSQL "
        "(BARBERPRO_DATABASE_URL=postgresql+asyncpg://...): SQLite is served by one process"
    ]
    assert not (tmp_path / "one.db").exists(), "nothing was migrated or seeded"


@pytest.mark.postgres
def test_the_demo_with_two_workers_on_postgres_seeds_once_and_both_serve(
    env: dict[str, str], dialect: str, tmp_path: Path
) -> None:
    """Migrations and the seed run once, before the workers; each worker starts the whole app
    (the sandbox included) and the port answers."""
    if dialect != "postgresql":
        pytest.skip("several workers serve PostgreSQL only")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*barberpro(), "serve", "--demo", "--workers", "2", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        text = _wait_for(log, process, lambda t: t.count("Application startup complete.") == 2)
        base = f"http://127.0.0.1:{port}"
        ready = httpx.get(f"{base}/readyz")
        assert ready.json()["channels"]["sandbox"] != "off"
        assert "server" not in ready.headers, "no uvicorn banner from the workers either"
        reply = httpx.post(f"{base}/sandbox/chats/workers-1/messages", json={"text": "hola"})
        assert reply.status_code == 200, reply.text
        assert reply.json()["replies"], reply.text
        assert text.count("Try it") == 1, "one banner: the demo was prepared once"
        workers = set(re.findall(r"Started server process \[(\d+)\]", text))
        assert len(workers) == 2, text
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(
    log: Path, process: subprocess.Popen[str], ready: Callable[[str], bool], within: float = 60
) -> str:
    """Poll the server's log until `ready(text)` holds; fail with the log if it exits or stalls."""
    deadline = time.monotonic() + within
    while True:
        text = log.read_text(errors="replace")
        if ready(text):
            return text
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the workers did not all start:\n{text}")
        time.sleep(0.1)
