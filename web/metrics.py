"""GET /metrics: Prometheus text, for a platform key; or, with BARBERPRO_METRICS_PORT, for anyone
who reaches that port (bind it to a private address: BARBERPRO_METRICS_HOST)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import APIRouter, Request, Response

from bot.metrics import CONTENT_TYPE, Metrics
from bot.settings import Settings
from domain.ports import Clock
from domain.storage.uow import UnitOfWorkFactory
from web.api.v1.access import PlatformKey

log = logging.getLogger(__name__)
router = APIRouter(tags=["metrics"], include_in_schema=False)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@router.get("/metrics")
async def metrics(request: Request, _key: PlatformKey) -> Response:
    """The app's metrics; `Authorization: Bearer <platform key>` (401 / 403 otherwise)."""
    state = request.app.state
    body = await state.metrics.scrape(state.uow_factory, state.clock.now())
    return Response(body, media_type=CONTENT_TYPE)


class MetricsPort:
    """A bare ASGI app answering GET /metrics with no key, for a port of its own."""

    def __init__(self, metrics: Metrics, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.metrics = metrics
        self.uow_factory = uow_factory
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing to set up
            return
        if scope["path"] != "/metrics" or scope["method"] not in ("GET", "HEAD"):
            await _answer(send, 404, b"text/plain", b"not found: try GET /metrics\n")
            return
        body = await self.metrics.scrape(self.uow_factory, self.clock.now())
        await _answer(send, 200, CONTENT_TYPE.encode(), body)


async def _answer(send: Send, status: int, content_type: bytes, body: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _ServerInsideTheApp(uvicorn.Server):
    """uvicorn's server, leaving the signals (Ctrl-C, SIGTERM) to the app's own server."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@asynccontextmanager
async def metrics_port(
    settings: Settings, metrics: Metrics, uow_factory: UnitOfWorkFactory, clock: Clock
) -> AsyncIterator[None]:
    """Serve /metrics on BARBERPRO_METRICS_PORT while the app runs (nothing when it is unset).

    The socket is bound here so a port already taken (a second worker) is one log line, not
    the end of the app.
    """
    port = settings.metrics_port
    if port is None:
        yield
        return
    try:
        sock = socket.create_server((settings.metrics_host, port))
    except OSError as error:
        log.warning("metrics port %s:%s not served: %s", settings.metrics_host, port, error)
        yield
        return
    config = uvicorn.Config(
        MetricsPort(metrics, uow_factory, clock), lifespan="off", log_level="warning"
    )
    server = _ServerInsideTheApp(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="metrics-port")
    log.info("metrics on http://%s:%s/metrics", settings.metrics_host, port)
    try:
        yield
    finally:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        sock.close()
