"""Settings from BARBERPRO_* environment variables (and a .env file), per DESIGN.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from limits import parse
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; a channel or gateway without credentials is simply off."""

    model_config = SettingsConfigDict(env_prefix="BARBERPRO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./barberpro.db"
    public_url: str = "http://127.0.0.1:8000"
    sandbox: bool = False
    telegram_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_url: str = "https://api.telegram.org"
    telegram_polling: bool = False  # development: getUpdates instead of the webhook
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_url: str | None = None
    mercadopago_access_token: str | None = None
    mercadopago_webhook_secret: str | None = None
    mercadopago_api_url: str | None = None
    scheduler_interval_seconds: int = Field(default=15, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    log_format: Literal["text", "json"] = "text"  # json: one object per line (bot/log_setup.py)
    # Abuse limits (web/throttle.py), in the `limits` notation ("10/minute", "60 per hour"), or
    # "off". The defaults are far above what a real shop, integration or customer does.
    rate_limit_api_key: str = "600/minute"  # REST calls per API key
    rate_limit_api_address: str = "1200/minute"  # REST calls per client address
    rate_limit_api_auth_failures: str = "20/minute"  # missing or wrong keys per client address
    rate_limit_sandbox_new_chats: str = "60/hour"  # new sandbox chats per client address
    rate_limit_sandbox_chat: str = "60/minute"  # messages per sandbox chat
    rate_limit_webhook_forged: str = "30/minute"  # badly signed webhooks per client address
    # Failed dashboard logins per account and per address in 15 minutes (domain.accounts).
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    # /metrics without a key on a port of its own (for Prometheus on a private network);
    # unset: /metrics only on the app's port, for a platform key.
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    metrics_host: str = "127.0.0.1"
    # Message texts, outbox bodies and idle conversations older than this are purged daily.
    retention_days: int = Field(default=180, ge=1)

    @field_validator(
        "rate_limit_api_key",
        "rate_limit_api_address",
        "rate_limit_api_auth_failures",
        "rate_limit_sandbox_new_chats",
        "rate_limit_sandbox_chat",
        "rate_limit_webhook_forged",
    )
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        """A limit the `limits` package can read (checked at start, not at the first request)."""
        value = value.strip()
        if value.lower() != "off":
            parse(value)  # ValueError on nonsense
        return value

    @property
    def telegram_enabled(self) -> bool:
        """Telegram runs only with a bot token."""
        return bool(self.telegram_token)

    @property
    def whatsapp_enabled(self) -> bool:
        """WhatsApp runs only with a full set of Twilio credentials."""
        return bool(
            self.twilio_account_sid and self.twilio_auth_token and self.twilio_whatsapp_from
        )

    @property
    def mercadopago_enabled(self) -> bool:
        """Mercado Pago runs only with an access token."""
        return bool(self.mercadopago_access_token)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
