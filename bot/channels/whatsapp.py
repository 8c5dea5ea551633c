"""WhatsApp through Twilio: the signature check, rendering and sending with twilio's `Client`.

Choices go out as a numbered list (the engine reads "2", "dos" or the option's text), or as the
shop's Twilio Content templates when it configured them (quick replies up to 3, list pickers up
to 10). Outside WhatsApp's 24-hour window only an approved template may be sent: the sender
checks the window per chat and uses the shop's `outside_window` template, or gives up saying so.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from requests.exceptions import RequestException
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.base import GiveUp, Inbound, Limits, RetryLater
from bot.channels.webhook_contract import TWILIO_SIGNATURE_HEADER
from bot.channels.whatsapp_format import (
    merge,
    numbered_text,
    outside_window_variables,
    parse_form,
    sender_address,
    split_body,
    template_for,
)
from bot.i18n import translations
from bot.log_privacy import mask_text
from bot.settings import Settings
from conversations.messages import Choice, Outgoing
from domain.ports import Clock
from domain.storage.channels import OutboxItem, OutboxMessage, last_inbound_at, whatsapp_templates
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

NAME = "whatsapp"
WEBHOOK_PATH = "/webhooks/whatsapp"
SIGNATURE_HEADER = TWILIO_SIGNATURE_HEADER
WINDOW = timedelta(hours=24)
TEMPLATES_TTL_SECONDS = 30.0


class RetryAfterHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """twilio's HTTP client, remembering a 429's Retry-After (its exceptions drop headers).

    Per thread: each send runs in a worker thread and reads the value right after its call.
    """

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()

    def request(self, *args: Any, **kwargs: Any) -> Response:
        """Send, and note the Retry-After of a 429 answer."""
        response: Response = super().request(*args, **kwargs)
        header = (response.headers or {}).get("Retry-After")
        self._local.retry_after = header if response.status_code == 429 else None
        return response

    def last_retry_after(self) -> float | None:
        """This thread's last Retry-After in seconds, if the answer had a readable one."""
        try:
            return float(getattr(self._local, "retry_after", None) or "")
        except ValueError:
            return None


class _Refused(Exception):
    """Twilio's error, with the Retry-After its answer carried."""

    def __init__(self, error: TwilioRestException, retry_after: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class WhatsAppChannel:
    """One Twilio WhatsApp sender."""

    name = NAME
    # Twilio: 80 messages a second per sender; WhatsApp: about 1 per 6 s per recipient after a
    # short burst (a turn's replies are merged into one message because of it).
    limits = Limits(per_second=80.0, chat_burst=6, chat_per_second=1 / 6)

    def __init__(self, settings: Settings, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.http = RetryAfterHttpClient()
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=self.http
        )
        if settings.twilio_api_url:
            self.client.api.base_url = settings.twilio_api_url.rstrip("/")
        self.validator = RequestValidator(settings.twilio_auth_token or "")
        self.from_ = sender_address(settings.twilio_whatsapp_from or "")
        self.public_url = settings.public_url.rstrip("/")
        self.uow_factory = uow_factory
        self.clock = clock
        self.status = "ready"
        self._templates: dict[int, tuple[float, dict[str, str]]] = {}

    async def start(self) -> None:
        """Nothing to open: Twilio is plain HTTPS per request."""
        log.info("whatsapp: sending as %s", mask_text(self.from_))

    async def stop(self) -> None:
        """Close the pooled HTTPS connections."""
        if self.http.session is not None:
            self.http.session.close()

    # ---- inbound ----------------------------------------------------------------------

    def public_webhook_url(self, path: str, query: str) -> str:
        """The URL Twilio signed: our public address (we may sit behind a proxy), path, query."""
        return f"{self.public_url}{path}" + (f"?{query}" if query else "")

    def check_signature(self, url: str, form: Mapping[str, str], signature: str | None) -> bool:
        """twilio's own RequestValidator over the public URL and every form field."""
        if not signature:
            return False
        return bool(self.validator.validate(url, dict(form), signature))

    def parse(self, form: Mapping[str, str]) -> Inbound | None:
        """A Twilio form post as an inbound message (None: a status callback, or malformed)."""
        if "MessageStatus" in form and "Body" not in form:
            status, error = form.get("MessageStatus"), form.get("ErrorCode")
            if status in ("failed", "undelivered"):
                log.warning(
                    "whatsapp: message %s %s (error %s)", form.get("MessageSid"), status, error
                )
            return None
        return parse_form(form)

    def acknowledge(self, inbound: Inbound, *, typing: bool = True) -> None:
        """Nothing to do: Twilio has no "typing…" nor a tap to answer (the runtime calls this)."""

    # ---- outbound ---------------------------------------------------------------------

    def render(
        self,
        replies: Sequence[Outgoing],
        inbound: Inbound | None,
        chat_id: str,
        shop_id: int | None,
        locale: str,
    ) -> list[OutboxMessage]:
        """A turn's replies merged into one message (WhatsApp paces each recipient)."""
        if not replies:
            return []
        merged = merge(replies)
        gettext = translations(locale).gettext
        payload = {
            "text": merged.text,
            "choices": [{"id": c.id, "label": c.label} for c in merged.choices],
            "numbered": numbered_text(merged, gettext),
        }
        return [OutboxMessage(NAME, chat_id, payload, shop_id)]

    async def send(self, item: OutboxItem) -> str | None:
        """Deliver one outbox message through Twilio (off the event loop)."""
        payload = item.payload
        outgoing = Outgoing(
            payload["text"], tuple(Choice(c["id"], c["label"]) for c in payload.get("choices", ()))
        )
        numbered = payload.get("numbered") or payload["text"]
        templates = await self._shop_templates(item.shop_id)
        if not await self._window_open(item.chat_id):
            sid = templates.get("outside_window")
            if not sid:
                log.warning(  # the message's id, never the chat's number
                    "whatsapp: message %s's chat wrote more than 24 hours ago, and shop %s has "
                    "no approved 'outside_window' template configured "
                    "(`barberpro whatsapp template`): NOT sent",
                    item.id,
                    item.shop_id,
                )
                raise GiveUp("outside the 24-hour window and no approved template configured")
            variables = outside_window_variables(numbered)
            return await self._create(
                item.chat_id, content_sid=sid, content_variables=json.dumps(variables)
            )
        template = template_for(outgoing, templates)
        if template is not None:
            sid, variables = template
            return await self._create(
                item.chat_id, content_sid=sid, content_variables=json.dumps(variables)
            )
        sid_of_last = None
        for part in split_body(numbered):
            sid_of_last = await self._create(item.chat_id, body=part)
        return sid_of_last

    async def _create(self, to: str, **fields: Any) -> str:
        try:
            return await asyncio.to_thread(self._create_in_thread, to, fields)
        except _Refused as refused:
            error = refused.error
            # Twilio quotes the number ("The 'To' number whatsapp:+54... is not valid"); the
            # reason goes to the log and the outbox row: keep only its masked form.
            reason = f"{error.status} (code {error.code}): {mask_text(str(error.msg))}"
            if error.status == 429 or error.status >= 500:
                raise RetryLater(reason, refused.retry_after) from error
            raise GiveUp(reason) from error
        except RequestException as error:  # connection refused, timeouts
            raise RetryLater(f"network: {type(error).__name__}") from error

    def _create_in_thread(self, to: str, fields: dict[str, Any]) -> str:
        """The blocking call (in a worker thread), with the 429's Retry-After read right after."""
        try:
            message = self.client.messages.create(from_=self.from_, to=to, **fields)
        except TwilioRestException as error:
            raise _Refused(error, self.http.last_retry_after()) from error
        return str(message.sid)

    async def _window_open(self, chat_id: str) -> bool:
        last = await last_inbound_at(self.uow_factory, NAME, chat_id)
        return last is not None and self.clock.now() - last < WINDOW

    async def _shop_templates(self, shop_id: int | None) -> dict[str, str]:
        if shop_id is None:
            return {}
        cached = self._templates.get(shop_id)
        if cached is not None and time.monotonic() - cached[0] < TEMPLATES_TTL_SECONDS:
            return cached[1]
        templates = await whatsapp_templates(self.uow_factory, shop_id)
        self._templates[shop_id] = (time.monotonic(), templates)
        return templates
