"""The `barberpro` command line, run for real: migrations, demo seed, API keys, serve --demo."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from domain.storage.engine import make_engine
from domain.storage.tables import ShopRow


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Point the CLI at the test database, as a user would with BARBERPRO_DATABASE_URL."""
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield {**os.environ, "BARBERPRO_DATABASE_URL": database_url}
    get_settings.cache_clear()


def test_db_upgrade_demo_seed_and_apikey_create(env: dict[str, str]) -> None:
    runner = CliRunner()

    upgraded = runner.invoke(app, ["db", "upgrade"])
    seeded = runner.invoke(app, ["demo", "seed"])
    again = runner.invoke(app, ["demo", "seed"])
    key = runner.invoke(app, ["apikey", "create", "recepción", "--shop", "don-julio"])

    assert upgraded.exit_code == 0, upgraded.output
    assert "up to date" in upgraded.output
    assert seeded.output.strip() == "Demo shop created."
    assert again.output.strip() == "Demo shop already there."
    assert re.fullmatch(r"bp_[\w-]{43}", key.output.strip())


def test_apikey_create_list_and_revoke(env: dict[str, str]) -> None:
    """Keys belong to a shop (with a scope and maybe an expiry) or are the operator's; the list
    shows what each is without the secret; a revoked key is marked so."""
    runner = CliRunner()
    runner.invoke(app, ["demo", "seed"])

    booking = runner.invoke(
        app,
        ["apikey", "create", "web", "--shop", "don-julio", "--scope", "book", "--expires", "30"],
    )
    operator = runner.invoke(app, ["apikey", "create", "ops", "--platform"])
    neither = runner.invoke(app, ["apikey", "create", "lost"])
    both = runner.invoke(app, ["apikey", "create", "x", "--shop", "don-julio", "--platform"])
    unknown = runner.invoke(app, ["apikey", "create", "x", "--shop", "nadie"])
    secret = booking.output.strip()
    listed = runner.invoke(app, ["apikey", "list", "--shop", "don-julio"])
    everything = runner.invoke(app, ["apikey", "list"])
    revoked = runner.invoke(app, ["apikey", "revoke", secret[:10]])
    again = runner.invoke(app, ["apikey", "revoke", secret[:10]])
    after = runner.invoke(app, ["apikey", "list", "--shop", "don-julio"])

    assert booking.exit_code == 0, booking.output
    assert operator.exit_code == 0, operator.output
    assert neither.exit_code != 0
    assert "either --shop SLUG or --platform" in neither.output
    assert both.exit_code != 0
    assert unknown.exit_code != 0
    assert "no shop called 'nadie'" in unknown.output
    [row] = [line for line in listed.output.splitlines() if line.startswith(secret[:10])]
    assert row.split()[1:4] == ["web", "don-julio", "book"]
    assert row.endswith("UTC  live")
    assert secret not in listed.output
    assert "(platform)" in everything.output
    assert "(platform)" not in listed.output
    assert revoked.exit_code == 0
    assert f"Revoked {secret[:10]}" in revoked.output
    assert again.exit_code != 0
    assert "no live key" in again.output
    assert after.output.rstrip().endswith("revoked")


def test_shop_create_prints_its_first_admin_key(env: dict[str, str]) -> None:
    runner = CliRunner()

    created = runner.invoke(
        app, ["shop", "create", "la-nueva", "--name", "La Nueva Barbería", "--vertical", "barberia"]
    )
    duplicate = runner.invoke(app, ["shop", "create", "la-nueva", "--name", "Otra"])
    bad_zone = runner.invoke(
        app, ["shop", "create", "otra", "--name", "Otra", "--timezone", "Marte/Olympus"]
    )
    bad_slug = runner.invoke(app, ["shop", "create", "La Nueva", "--name", "Otra"])
    listed = runner.invoke(app, ["apikey", "list", "--shop", "la-nueva"])

    assert created.exit_code == 0, created.output
    assert "Shop la-nueva created: La Nueva Barbería (barberia, " in created.output
    key = re.search(r"Admin API key \(shown once, copy it now\): (bp_[\w-]{43})", created.output)
    assert key, created.output
    assert duplicate.exit_code != 0
    assert "already a shop called 'la-nueva'" in duplicate.output
    assert bad_zone.exit_code != 0
    assert "unknown timezone" in bad_zone.output
    assert bad_slug.exit_code != 0
    assert "lowercase letters" in bad_slug.output
    assert "admin" in listed.output
    assert key.group(1)[:10] in listed.output


async def comeback_nudges(database_url: str) -> bool:
    """The demo shop's setting, read from the database."""
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return bool(await connection.scalar(select(ShopRow.comeback_nudges)))
    finally:
        await engine.dispose()


def test_shop_comeback_turns_the_nudges_on_and_off(env: dict[str, str]) -> None:
    runner = CliRunner()
    runner.invoke(app, ["demo", "seed"])

    off = runner.invoke(app, ["shop", "comeback", "don-julio", "--off"])
    after_off = asyncio.run(comeback_nudges(env["BARBERPRO_DATABASE_URL"]))
    on = runner.invoke(app, ["shop", "comeback", "don-julio", "--on"])
    after_on = asyncio.run(comeback_nudges(env["BARBERPRO_DATABASE_URL"]))
    unknown = runner.invoke(app, ["shop", "comeback", "nadie", "--on"])

    assert (after_off, after_on) == (False, True)
    assert off.exit_code == 0, off.output
    assert "don-julio: comeback nudges off" in off.output
    assert on.exit_code == 0, on.output
    assert "comeback nudges on" in on.output
    assert unknown.exit_code != 0
    assert "no shop called 'nadie'" in unknown.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def barberpro() -> list[str]:
    """The installed console script, as the README runs it."""
    script = Path(sys.executable).parent / "barberpro"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def test_serve_demo_answers_every_endpoint(env: dict[str, str], tmp_path: Path) -> None:
    """With a second shop on the same database, the demo key still sees the demo shop only."""
    created = CliRunner().invoke(app, ["shop", "create", "otra", "--name", "Otra"])
    assert created.exit_code == 0, created.output
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
        banner = wait_until_up(process, base)
        key = re.search(r"Demo API key:\s+(bp_\S+)", banner)
        assert key, banner
        check_every_endpoint(base, key.group(1))
        login = re.search(r"Dashboard:\s+(\S+)/admin\s+email (\S+)\s+password (\S+)", banner)
        assert login, banner
        check_dashboard_login(base, login[2], login[3])
    finally:
        process.terminate()
        process.communicate(timeout=10)  # also closes the pipe


def wait_until_up(process: subprocess.Popen[str], base: str) -> str:
    """Read the banner and poll /healthz until the server answers (20 s at most)."""
    lines: list[str] = []
    assert process.stdout is not None
    while not any("Try it" in line for line in lines):
        line = process.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return "".join(lines)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up:\n" + "".join(lines))


def check_dashboard_login(base: str, email: str, password: str) -> None:
    """The banner's dashboard login works."""
    with httpx.Client(base_url=base) as browser:
        form = browser.get("/admin/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, form.text
        logged = browser.post(
            "/admin/login", data={"email": email, "password": password, "csrf": token[1]}
        )
        assert logged.status_code == 303, logged.text
        assert browser.get("/admin/status").status_code == 200


def check_every_endpoint(base: str, key: str) -> None:
    with httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}) as api:
        check_api(base, api)


def check_api(base: str, api: httpx.Client) -> None:
    assert httpx.get(f"{base}/readyz").json()["database"]["at_head"] is True
    assert [s["slug"] for s in api.get("/shops").json()] == ["don-julio"]
    assert api.get("/shops/otra/services").status_code == 404
    services = api.get("/shops/don-julio/services").json()
    assert len(api.get("/shops/don-julio/professionals").json()) == 3
    corte = services[0]["id"]
    slots = api.get("/shops/don-julio/availability", params={"service_id": corte}).json()
    assert slots, "the demo shop has free slots this week"
    body = {
        "service_id": corte,
        "professional_id": slots[0]["professional_id"],
        "start": slots[0]["start"],
        "customer": {"name": "Juan", "phone": "11 5874 9895"},
    }
    booked = api.post("/shops/don-julio/bookings", json=body)
    assert booked.status_code == 201, booked.text
    assert api.post("/shops/don-julio/bookings", json=body).status_code == 409
    booking_id = booked.json()["id"]
    assert api.get(f"/bookings/{booking_id}").json()["status"] == "confirmed"
    moved = api.post(
        f"/bookings/{booking_id}/reschedule",
        json={"start": slots[-1]["start"], "professional_id": slots[-1]["professional_id"]},
    )
    assert moved.status_code == 200, moved.text
    cancelled = api.post(f"/bookings/{moved.json()['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


def test_user_create_reads_the_password_from_stdin_and_reset_prints_a_link(
    env: dict[str, str],
) -> None:
    runner = CliRunner()
    runner.invoke(app, ["demo", "seed"])

    created = runner.invoke(
        app,
        ["user", "create", "Dueno@DonJulio.test", "--shop", "don-julio", "--role", "owner"],
        input="tijera-y-peine-2026\n",
    )
    again = runner.invoke(
        app, ["user", "create", "dueno@donjulio.test", "--shop", "don-julio"], input="x" * 12
    )
    short = runner.invoke(app, ["user", "create", "b@x.test", "--shop", "don-julio"], input="corta")
    barber = runner.invoke(
        app,
        [
            "user",
            "create",
            "tincho@x.test",
            "--shop",
            "don-julio",
            "--role",
            "professional",
            "--professional",
            "Tincho",
        ],
        input="tijera-y-peine-2026\n",
    )
    reset = runner.invoke(app, ["user", "reset", "dueno@donjulio.test"])
    unknown = runner.invoke(app, ["user", "reset", "nadie@x.test"])

    assert created.exit_code == 0, created.output
    assert "Login dueno@donjulio.test created" in created.output
    assert again.exit_code != 0
    assert "already a login" in again.output
    assert short.exit_code != 0
    assert "10 to 256 characters" in short.output
    assert barber.exit_code == 0, barber.output
    assert re.search(
        r"http://127\.0\.0\.1:8000/admin/link/[\w-]{43}  \(valid 24 hours", reset.output
    )
    assert unknown.exit_code != 0
