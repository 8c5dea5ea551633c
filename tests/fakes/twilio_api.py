"""A fake Twilio REST API (Messages) on 127.0.0.1 that twilio's real `Client` talks HTTP to.

Pointing the real client at it (twilio 9.13.0, checked by tests/fakes/test_fakes.py):

    client = Client(fake.account_sid, fake.auth_token)
    client.api.base_url = fake.url          # read on every request; or: fake.attach(client)

`edge`/`region` cannot do it (they only rewrite `*.twilio.com` hosts). The client is synchronous
(`requests`): call it through `asyncio.to_thread` from async code, and close its pooled
connections when done (`client.http_client.session.close()`) or the test run sees a
ResourceWarning.

The client sends `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-urlencoded
(`To`, `From`, `Body` or `ContentSid` + `ContentVariables` (a JSON string), ...), with HTTP Basic
auth `AccountSid:AuthToken`. The fake checks the auth (401, code 20003), validates like Twilio
does on create (21604, 21603, 21619, 21617, 21211, 21910, 21655, 21656), answers 201 with a
Message resource (status "queued") and records every call with its `status`. `fail_next` injects
429/500/403/400/... answers in Twilio's error JSON. `GET .../Messages/{Sid}.json` fetches a sent
message.

`inbound_form` builds the form of an inbound WhatsApp webhook as Twilio posts it and `sign`
signs it with twilio's own `RequestValidator`, for tests of our `/webhooks/whatsapp`.

As a process: `python -m tests.fakes.twilio_api --port N [--account-sid AC.. --auth-token T]`,
with the control API described in `tests.fakes.telegram_api` (`spawn()` starts one).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Final

from twilio.request_validator import RequestValidator

from tests.fakes.telegram_api import (
    Call,
    FakeProcess,
    FakeRequest,
    FakeResponse,
    FakeServer,
    run_standalone,
)

if TYPE_CHECKING:
    from twilio.rest import Client

TEST_ACCOUNT_SID: Final = "AC" + "0123456789abcdef" * 2
TEST_AUTH_TOKEN: Final = "fake_twilio_auth_token_0123456789"
SANDBOX_FROM: Final = "whatsapp:+14155238886"
API_VERSION: Final = "2010-04-01"
CREATE: Final = "messages.create"
FETCH: Final = "messages.fetch"
MAX_BODY: Final = 1600

_ERRORS: Final = {
    400: (21211, "Invalid 'To' Phone Number"),
    401: (20003, "Authenticate"),
    403: (20403, "Forbidden"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}
_MESSAGES = re.compile(rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages\.json$")
_MESSAGE = re.compile(
    rf"^/{API_VERSION}/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[A-Za-z0-9]+)\.json$"
)
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")


def new_sid(prefix: str = "SM") -> str:
    """A Twilio-style resource sid: prefix + 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def twilio_error(
    status: int,
    code: int | None = None,
    message: str | None = None,
    retry_after: float | None = None,
) -> FakeResponse:
    """An error answer in Twilio's JSON shape (`code`, `message`, `more_info`, `status`)."""
    default_code, default_message = _ERRORS.get(status, (status * 100, "Error"))
    code = default_code if code is None else code
    payload: dict[str, Any] = {
        "code": code,
        "message": default_message if message is None else message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(
            int(retry_after) if float(retry_after).is_integer() else retry_after
        )
    if status == 401:
        payload["detail"] = "Your AccountSid or AuthToken was incorrect."
        headers["WWW-Authenticate"] = 'Basic realm="Twilio API"'
    return FakeResponse(status, payload, headers)


def _rfc2822(moment: datetime) -> str:
    return format_datetime(moment)  # "Tue, 01 Dec 2026 12:00:00 +0000", as Twilio writes dates


def _address(value: str) -> str:
    """The number part of a `whatsapp:+549...` address."""
    return value.split(":", 1)[1] if ":" in value else value


class FakeTwilio(FakeServer):
    """A fake Twilio Messages API: `client.api.base_url = fake.url` points a real Client at it."""

    name = "twilio"
    default_fail_methods = frozenset({CREATE})

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        account_sid: str = TEST_ACCOUNT_SID,
        auth_token: str = TEST_AUTH_TOKEN,
    ) -> None:
        super().__init__(host, port)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._messages: dict[str, dict[str, Any]] = {}

    def attach(self, client: Client) -> Client:
        """Point a real `twilio.rest.Client` at this fake; returns it."""
        client.api.base_url = self.url
        return client

    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        *,
        code: int | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` message creations with `status` (Twilio error JSON; `code`
        and `message` default to 20429 / 20500 / 20403 / 21211 ... by status)."""
        self._fail_next(
            status, times, retry_after, self.default_fail_methods, description=message, code=code
        )

    def sent(self, to: str | None = None) -> list[Call]:
        """Accepted (HTTP 201) message creations, optionally to one `To` address."""
        return [
            call
            for call in self.calls(CREATE)
            if call["status"] == 201 and (to is None or call["params"].get("To") == to)
        ]

    def _reset_state(self) -> None:
        self._messages.clear()

    # --- HTTP ----------------------------------------------------------------------------------

    def _authenticated(self, request: FakeRequest) -> str | None:
        """The Basic-auth user name when the credentials are right, else None."""
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        if user == self.account_sid and password == self.auth_token:
            return user
        return None

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Serve the Messages resource under `/2010-04-01/Accounts/{AccountSid}/`."""
        create = _MESSAGES.match(request.path) if request.http_method == "POST" else None
        fetch = _MESSAGE.match(request.path) if request.http_method == "GET" else None
        method = CREATE if create else FETCH if fetch else f"{request.http_method} {request.path}"
        try:
            params = request.fields()
        except (ValueError, UnicodeDecodeError):
            params = {}
        user = self._authenticated(request)
        with self._lock:
            call = self._record(method, request, params, auth_ok=user is not None)
        match = create or fetch
        if user is None or (match is not None and match.group("account") != self.account_sid):
            answer = twilio_error(401, message="Authenticate")
        elif create is not None:
            answer = self._create(request, params)
        elif fetch is not None:
            answer = self._fetch(request, fetch.group("sid"))
        else:
            answer = twilio_error(
                404, message=f"The requested resource {request.path} was not found"
            )
        with self._lock:
            return self._finish(call, answer)

    def _fetch(self, request: FakeRequest, sid: str) -> FakeResponse:
        with self._lock:
            message = self._messages.get(sid)
        if message is None:
            return twilio_error(404, message=f"The requested resource {request.path} was not found")
        return FakeResponse(200, message)

    def _create(self, request: FakeRequest, params: dict[str, Any]) -> FakeResponse:
        with self._lock:
            rule = self._take_failure(CREATE)
        if rule is not None:
            message = rule.description
            if message is None and rule.status == 400 and rule.code in (None, 21211):
                message = f"Invalid 'To' Phone Number: {_address(str(params.get('To', '')))}"
            return twilio_error(rule.status, rule.code, message, rule.retry_after)
        invalid = _validate(params)
        if invalid is not None:
            return invalid
        return FakeResponse(201, self._store(params))

    def _store(self, params: dict[str, Any]) -> dict[str, Any]:
        sid = new_sid("SM")
        now = _rfc2822(datetime.now(UTC))
        service = params.get("MessagingServiceSid")
        media = params.get("MediaUrl")
        num_media = len(media) if isinstance(media, list) else 1 if media else 0
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        resource: dict[str, Any] = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": params.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": params.get("From"),
            "messaging_service_sid": service,
            "num_media": str(num_media),
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service and not params.get("From") else "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": params.get("To"),
            "uri": uri,
        }
        with self._lock:
            self._messages[sid] = resource
        return resource


def _validate(params: dict[str, Any]) -> FakeResponse | None:
    """Twilio's synchronous checks on message creation, the ones an app can trip on."""
    to = params.get("To")
    sender = params.get("From")
    if not to:
        return twilio_error(400, 21604, "A 'To' phone number is required.")
    if not sender and not params.get("MessagingServiceSid"):
        return twilio_error(400, 21603, "A 'From' phone number is required.")
    body = params.get("Body")
    if not body and not params.get("ContentSid") and not params.get("MediaUrl"):
        return twilio_error(400, 21619, "A text message body or media urls must be specified.")
    if isinstance(body, str) and len(body) > MAX_BODY:
        return twilio_error(
            400, 21617, "The concatenated message body exceeds the 1600 character limit."
        )
    if not isinstance(to, str) or not _E164.match(_address(to)):
        return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {_address(str(to))}")
    if sender and str(sender).startswith("whatsapp:") != to.startswith("whatsapp:"):
        return twilio_error(
            400,
            21910,
            "Invalid From and To pair. From and To should be of the same channel",
        )
    content_sid = params.get("ContentSid")
    if content_sid is not None and not _CONTENT_SID.match(str(content_sid)):
        return twilio_error(400, 21655, "The ContentSid is Invalid.")
    variables = params.get("ContentVariables")
    if variables is not None:
        try:
            decoded = json.loads(str(variables))
        except ValueError:
            decoded = None
        if not isinstance(decoded, dict):
            return twilio_error(400, 21656, "The ContentVariables Parameter is invalid.")
    return None


# --- inbound webhooks ------------------------------------------------------------------------


def inbound_form(
    message_sid: str,
    from_: str,
    body: str,
    to: str = SANDBOX_FROM,
    profile_name: str = "Juan",
    **extra: str,
) -> dict[str, str]:
    """The form fields of an inbound WhatsApp message as Twilio posts them to the webhook.

    `extra` adds or overrides fields, e.g. `ButtonPayload="slot:1", ButtonText="10:00"` for a
    quick-reply tap (MessageType becomes "button") or `ListId=..., ListTitle=...` for a
    list-picker pick ("interactive"), or `AccountSid=...`.
    """
    message_type = "text"
    if "ButtonPayload" in extra:
        message_type = "button"
    elif "ListId" in extra:
        message_type = "interactive"
    form = {
        "SmsMessageSid": message_sid,
        "NumMedia": "0",
        "ProfileName": profile_name,
        "MessageType": message_type,
        "SmsSid": message_sid,
        "WaId": re.sub(r"\D", "", _address(from_)),
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": message_sid,
        "AccountSid": TEST_ACCOUNT_SID,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    form.update(extra)
    return form


def sign(auth_token: str, url: str, form: dict[str, str]) -> str:
    """The `X-Twilio-Signature` Twilio would send for `form` posted to `url`."""
    signature: str = RequestValidator(auth_token).compute_signature(url, form)
    return signature


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m tests.fakes.twilio_api --port N`: serve until SIGTERM."""
    parser = argparse.ArgumentParser(description="Fake Twilio REST API (Messages)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account-sid", default=TEST_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=TEST_AUTH_TOKEN)
    args = parser.parse_args(argv)
    run_standalone(FakeTwilio(args.host, args.port, args.account_sid, args.auth_token))


def spawn(
    port: int = 0, account_sid: str = TEST_ACCOUNT_SID, auth_token: str = TEST_AUTH_TOKEN
) -> FakeProcess:
    """A `FakeProcess` running this fake (call `.start()` or use `with`)."""
    return FakeProcess(
        "tests.fakes.twilio_api",
        port,
        ["--account-sid", account_sid, "--auth-token", auth_token],
    )


if __name__ == "__main__":
    main()
