"""Settings from BARBERPRO_* environment variables (and a .env file), per DESIGN.md."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
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
    # Message texts, outbox bodies and idle conversations older than this are purged daily.
    retention_days: int = Field(default=180, ge=1)

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
