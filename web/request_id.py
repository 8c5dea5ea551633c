"""Every HTTP request gets an id: the caller's sane X-Request-ID, or a new one; it is in each
log line the request causes and in the response's X-Request-ID header."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.request_id import request_id_scope, sane_request_id

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware), so the id's context reaches the route itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request under its id; add the id to the response's headers."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = sane_request_id(Headers(scope=scope).get(HEADER))
        with request_id_scope(given) as request_id:

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    MutableHeaders(scope=message)[HEADER] = request_id
                await send(message)

            await self.app(scope, receive, send_with_id)
