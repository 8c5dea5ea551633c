from __future__ import annotations
import pytest
from typer.testing import CliRunner
from bot.cli import app
from bot.settings import get_settings
from tests.fakes.telegram_api import FakeTelegram

@pytest.mark.parametrize("secret", ["abc_DEF-1", None, "bad secret!"])
def test_cli(fake_telegram: FakeTelegram, monkeypatch, secret) -> None:
    monkeypatch.setenv("BARBERPRO_TELEGRAM_TOKEN", "123:abc")
    monkeypatch.setenv("BARBERPRO_TELEGRAM_API_URL", fake_telegram.url)
    monkeypatch.setenv("BARBERPRO_PUBLIC_URL", "https://x.example.com/")
    if secret: monkeypatch.setenv("BARBERPRO_TELEGRAM_WEBHOOK_SECRET", secret)
    else: monkeypatch.delenv("BARBERPRO_TELEGRAM_WEBHOOK_SECRET", raising=False)
    get_settings.cache_clear()
    r = CliRunner().invoke(app, ["telegram", "set-webhook"])
    get_settings.cache_clear()
    print(r.exit_code, repr(r.output), r.exception)
    print(fake_telegram.webhook)
