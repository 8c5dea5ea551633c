"""The README's shop walk-through, run as a new user would: its shell blocks, in bash, against
`barberpro serve --demo`; and the customer's part (the web chat) over the same endpoint.

The server's clock is set (`--start-at`), so the chat's «mañana» is always a Wednesday; the
README's own commands compute any date they need, which is checked too.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.bot.test_cli import barberpro, env, free_port, wait_until_up
from tests.fakes.telegram_api import REPO_ROOT

__all__ = ["env"]  # the fixture, imported to be used here

README = REPO_ROOT / "README.md"
BASE = "http://127.0.0.1:8000"


def shell_blocks() -> list[str]:
    """The README's ```sh blocks, in order."""
    return re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def block_with(marker: str) -> str:
    [block] = [b for b in shell_blocks() if marker in b]
    return block


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`barberpro serve --demo` on a free port; yields its address and the demo key."""
    port = free_port()
    process = subprocess.Popen(
        [*barberpro(), "serve", "--demo", "--port", str(port), "--start-at", "2026-12-01 10:00"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        banner = wait_until_up(process, base)
        key = re.search(r"Demo API key:\s+(bp_\S+)", banner)
        assert key, banner
        yield base, key[1]
    finally:
        process.terminate()
        process.communicate(timeout=10)


def run(block: str, base: str, env: dict[str, str], cwd: Path, key: str | None = None) -> str:
    """Run a README block in bash, on this server (and with this key for `KEY=bp_...`)."""
    script = block.replace(BASE, base)
    if key is not None:
        script = re.sub(r"^KEY=bp_\.\.\..*$", f"KEY={key}", script, flags=re.MULTILINE)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={**env, "PATH": f"{Path(barberpro()[0]).parent}:{env['PATH']}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout


def test_the_readme_curl_examples_name_no_fixed_date() -> None:
    for block in shell_blocks():
        if "curl" in block:
            assert not re.search(r"\b20\d\d-\d\d-\d\d\b", block), block


def test_a_new_user_sets_up_a_shop_books_in_it_and_answers_a_customer_by_the_readme(
    server: tuple[str, str], env: dict[str, str], tmp_path: Path
) -> None:
    base, demo_key = server

    booked = run(block_with("don-julio/bookings"), base, env, tmp_path, demo_key)
    assert '"status":"confirmed"' in booked

    created = run(block_with("barberpro shop create la-nueva"), base, env, tmp_path)
    key = re.search(r"copy it now\): (bp_\S+)", created)
    assert key, created
    setup = run(block_with("/api/v1/shops/la-nueva"), base, env, tmp_path, key[1])
    assert '"synonyms":["rapado","degradé"]' in setup

    with httpx.Client(base_url=base) as web:  # the customer, in the shop's web chat

        def say(text: str) -> str:
            answer = web.post(
                "/sandbox/chats/sofi/messages", params={"shop": "la-nueva"}, json={"text": text}
            )
            assert answer.status_code == 200, answer.text
            return "\n".join(r["text"] for r in answer.json()["replies"])

        assert "La Nueva Barbería" in say("hola")
        say("Sofía")
        assert "$\xa013.500" in say("quiero un rapado mañana a las 11 con Tincho")
        assert "Listo, te reservé el turno" in say("confirmar")
        say("hablar con alguien")
        say("¿Puedo ir con mi hijo?")

        # The same terminal as the setup: its variables are still there.
        tincho = web.get(
            "/api/v1/shops/la-nueva/professionals", headers={"Authorization": f"Bearer {key[1]}"}
        ).json()[0]["id"]
        terminal = "\n".join(
            line
            for line in block_with("/api/v1/shops/la-nueva").splitlines()
            if re.match(r"(KEY|API|H|J)=|new_id\(\)", line)
        )
        the_day = run(
            f"{terminal}\nTINCHO={tincho}\n{block_with('TODAY=')}", base, env, tmp_path, key[1]
        )
        assert '"text":"¡Sí! Te esperamos."' in the_day
        pushes = web.get("/sandbox/chats/sofi/pushes").json()["pushes"]
        assert [p["text"] for p in pushes] == ["💬 La Nueva Barbería: ¡Sí! Te esperamos."]
