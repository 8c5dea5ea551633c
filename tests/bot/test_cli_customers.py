"""`barberpro customer export|erase --shop SLUG ID|PHONE`, run for real on the demo shop."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import get_settings
from domain.storage.audit import audit_page
from domain.storage.channels import shop_id_by_slug
from domain.storage.engine import make_engine
from domain.storage.uow import UnitOfWorkFactory

JUAN = "11 5874-9895"  # Juan Pérez, a customer of the demo shop


@pytest.fixture
def runner(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """The CLI on the test database with the demo shop seeded."""
    monkeypatch.setenv("BARBERPRO_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    seeded = runner.invoke(app, ["demo", "seed"], env={**os.environ})
    assert seeded.exit_code == 0, seeded.output
    yield runner
    get_settings.cache_clear()


def test_export_prints_everything_the_shop_holds_as_json(runner: CliRunner) -> None:
    exported = runner.invoke(app, ["customer", "export", "--shop", "don-julio", JUAN])

    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert data["name"] == "Juan Pérez"
    assert data["phone"] == "+5491158749895"
    assert data["turnos"]
    by_number = runner.invoke(app, ["customer", "export", "--shop", "don-julio", str(data["id"])])
    assert json.loads(by_number.output) == data
    exports = asyncio.run(exported_by_the_cli(get_settings().database_url))
    assert exports == [f"customer:{data['id']}"] * 2


async def exported_by_the_cli(database_url: str) -> list[str]:
    """The subjects of the demo shop's `customer.exported` audit rows written by the CLI."""
    engine = make_engine(database_url)
    try:
        uow_factory = UnitOfWorkFactory(engine)
        shop_id = await shop_id_by_slug(uow_factory, "don-julio")
        assert shop_id is not None
        rows = await audit_page(uow_factory, shop_id, limit=500)
    finally:
        await engine.dispose()
    return [r.subject for r in rows if r.action == "customer.exported" and r.source == "cli"]


def test_erase_asks_first_then_anonymises_and_the_phone_is_no_longer_found(
    runner: CliRunner,
) -> None:
    declined = runner.invoke(app, ["customer", "erase", "--shop", "don-julio", JUAN], input="n\n")
    assert declined.exit_code != 0
    assert "Juan Pérez" in declined.output
    number = json.loads(
        runner.invoke(app, ["customer", "export", "--shop", "don-julio", JUAN]).output
    )["id"]

    erased = runner.invoke(app, ["customer", "erase", "--shop", "don-julio", JUAN, "--yes"])

    assert erased.exit_code == 0, erased.output
    assert f"Cliente borrado #{number}" in erased.output
    gone = runner.invoke(app, ["customer", "export", "--shop", "don-julio", JUAN])
    assert gone.exit_code == 2
    assert "no customer" in gone.output
    kept = runner.invoke(app, ["customer", "export", "--shop", "don-julio", str(number)])
    data = json.loads(kept.output)
    assert data["name"] == f"Cliente borrado #{number}"
    assert data["phone"] is None
    assert data["turnos"]  # kept for the shop's accounts


def test_an_unknown_shop_or_customer_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(app, ["customer", "export", "--shop", "nope", JUAN]).exit_code == 2
    unknown = runner.invoke(app, ["customer", "erase", "--shop", "don-julio", "999", "--yes"])
    assert unknown.exit_code == 2
