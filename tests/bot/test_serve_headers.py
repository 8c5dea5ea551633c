"""`barberpro serve` for real: uvicorn names itself nowhere, and the security headers arrive
over a real socket (one worker here; the --workers case is checked in test_serve_workers)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.bot.test_cli import barberpro, env, free_port, wait_until_up

__all__ = ["env"]  # the fixture, imported to be used here


def test_serve_sends_no_server_banner_and_the_security_headers(
    env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*barberpro(), "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(process, base)
        answers = [httpx.get(f"{base}{path}") for path in ("/healthz", "/docs", "/admin/login")]
    finally:
        process.terminate()
        process.communicate(timeout=10)  # also closes the pipe

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    for answer in answers:
        assert "server" not in answer.headers, answer.headers
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert "'nonce-" in answers[1].headers["content-security-policy"]
