"""Security headers on every response: CSP with a per-response nonce, nosniff, no framing.

Pure ASGI (no BaseHTTPMiddleware) so a webhook or API call pays only for a few header bytes.
Each request gets a fresh nonce in `request.state.csp_nonce`; a page that needs an inline
<script> or <style> puts it on that element, and the policy allows nothing else inline.
A route that needs a different policy (the API docs) sets Content-Security-Policy itself and
this middleware leaves it alone.
"""

from __future__ import annotations

import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "csp_nonce"
HSTS = b"max-age=31536000; includeSubDomains"  # one year (OWASP ASVS 3.4.1)
# JSON, CSS, images...: nothing to run, nothing to frame (OWASP REST security cheat sheet).
NOT_A_PAGE_POLICY = b"default-src 'none'; frame-ancestors 'none'"


def page_policy(nonce: str, style_src: str | None = None, worker_src: str | None = None) -> str:
    """The CSP of an HTML page: own files only, inline code only with this response's nonce."""
    styles = style_src or f"'self' 'nonce-{nonce}'"
    workers = f"worker-src {worker_src}; " if worker_src else ""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src {styles}; "
        f"{workers}"
        "img-src 'self' data:; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware adding the headers; HSTS only when the app is reached over https."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.always: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
        ]
        if https:
            self.always.append((b"strict-transport-security", HSTS))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})[NONCE_KEY] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(list(message.get("headers", [])), nonce)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, headers: list[tuple[bytes, bytes]], nonce: str) -> list[tuple[bytes, bytes]]:
        """The response's headers plus ours (an explicit CSP from the route wins)."""
        names = {name.lower() for name, _ in headers}
        content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
        headers.extend(self.always)
        is_page = content_type.startswith(b"text/html")
        if is_page:
            headers.append((b"x-frame-options", b"DENY"))
        if b"content-security-policy" not in names:
            policy = page_policy(nonce).encode() if is_page else NOT_A_PAGE_POLICY
            headers.append((b"content-security-policy", policy))
        return headers


def error_headers(https: bool) -> dict[str, str]:
    """The headers of an unexpected error's answer: Starlette sends it from outside every
    middleware, so the handler adds them itself (a JSON body: nothing to run or frame)."""
    headers = {
        "x-content-type-options": "nosniff",
        "referrer-policy": "strict-origin-when-cross-origin",
        "content-security-policy": NOT_A_PAGE_POLICY.decode(),
    }
    if https:
        headers["strict-transport-security"] = HSTS.decode()
    return headers


def nonce_of(state: object) -> str:
    """The nonce of the request whose `request.state` this is."""
    return str(getattr(state, NONCE_KEY))


def with_nonce(page: str, nonce: str) -> str:
    """`page` with this response's nonce on its bare inline <script> and <style> elements."""
    return page.replace("<script>", f'<script nonce="{nonce}">').replace(
        "<style>", f'<style nonce="{nonce}">'
    )
